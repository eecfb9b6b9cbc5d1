import { DateTime } from 'luxon';

export interface DueTimeInput {
  /** The edition's calendar date, YYYY-MM-DD. */
  ceremonyDate: string;
  timeZone: string;
  offsetDays: number;
  /** Local send time, HH:mm. */
  sendTime: string;
}

/**
 * When a reminder rule is due for an edition: `offsetDays` calendar days before the edition's
 * date, at `sendTime` on the local clock of the edition's time zone. Calendar arithmetic is done
 * on the local date, so a DST change in between does not shift the local send time; a send time
 * that does not exist (spring-forward gap) moves forward by the gap, as clocks do.
 */
export function reminderDueAt(input: DueTimeInput): Date {
  const [hour, minute] = input.sendTime.split(':').map(Number);
  const local = DateTime.fromISO(input.ceremonyDate, { zone: input.timeZone })
    .minus({ days: input.offsetDays })
    .set({ hour, minute, second: 0, millisecond: 0 });
  if (!local.isValid)
    throw new RangeError(
      `Cannot compute a due time for ${input.ceremonyDate} in ${input.timeZone}: ${local.invalidExplanation ?? ''}`,
    );
  return local.toJSDate();
}

export type RunDecision = 'fire' | 'missed' | 'skipped' | 'not-due';

export interface DecisionInput {
  dueAt: Date;
  now: Date;
  /** When the edition was published: a reminder due before that is skipped, never blasted late. */
  publishedAt: Date | null;
  /** When the rule was created: a new rule whose time has passed is skipped too. */
  ruleCreatedAt: Date;
  catchUpHours: number;
}

/** What the scheduler does with a (rule, edition) that has no run yet. */
export function decideRun(input: DecisionInput): RunDecision {
  const { dueAt, now } = input;
  if (dueAt.getTime() > now.getTime()) return 'not-due';
  if (
    !input.publishedAt ||
    dueAt.getTime() < input.publishedAt.getTime() ||
    dueAt.getTime() < input.ruleCreatedAt.getTime()
  )
    return 'skipped';
  if (now.getTime() - dueAt.getTime() > input.catchUpHours * 3_600_000) return 'missed';
  return 'fire';
}
