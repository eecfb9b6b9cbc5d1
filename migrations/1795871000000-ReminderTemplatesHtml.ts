import { MigrationInterface, QueryRunner } from 'typeorm';
import { content as seededContent, RULES, withHtml } from './support/default-reminders';

/**
 * Gives the default reminder templates an HTML part (mail with a text part only scores worse with
 * spam filters). Only a template still exactly as seeded is changed: an administrator's edits stay.
 */
export class ReminderTemplatesHtml1795871000000 implements MigrationInterface {
  name = 'ReminderTemplatesHtml1795871000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const rule of RULES) {
      const seeded = seededContent(rule.offsetDays);
      await queryRunner.query(
        'UPDATE reminder_templates SET content = $2::jsonb, updated_at = now() WHERE key = $1 AND content = $3::jsonb',
        [rule.key, JSON.stringify(withHtml(seeded)), JSON.stringify(seeded)],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const rule of RULES) {
      const seeded = seededContent(rule.offsetDays);
      await queryRunner.query(
        'UPDATE reminder_templates SET content = $2::jsonb, updated_at = now() WHERE key = $1 AND content = $3::jsonb',
        [rule.key, JSON.stringify(seeded), JSON.stringify(withHtml(seeded))],
      );
    }
  }
}
