import { EntityManager } from 'typeorm';
import type { LocalizedContent } from './reminder-template.entity';
import type { ReminderAudience } from './reminder-rule.entity';

export const REMINDER_MAILER = Symbol('REMINDER_MAILER');

export interface ReminderMailingRequest {
  name: string;
  audience: ReminderAudience;
  ceremonyId: string;
  content: Partial<Record<'az' | 'en' | 'ru', LocalizedContent>>;
}

/**
 * Turns a fired reminder into a mailing whose audience is frozen in the caller's transaction,
 * so the run row and its mailing commit (or roll back) together. Implemented by the mailings feature.
 */
export interface ReminderMailer {
  createReminderMailing(request: ReminderMailingRequest, manager: EntityManager): Promise<string>;
  /** Delivery counts of mailings, for the runs overview. */
  countsFor(mailingIds: string[]): Promise<Map<string, Record<string, number>>>;
}
