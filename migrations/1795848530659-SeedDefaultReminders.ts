import { MigrationInterface, QueryRunner } from 'typeorm';
import { content, RULES } from './support/default-reminders';

/**
 * The default anniversary reminders, seeded once per database (on first start): 30, 7 and 1 days
 * before the edition's date at 10:00 local time, to subscribers, volunteers and visitors, with
 * sober texts in az, en and ru. Administrators change them through /reminder-rules.
 */
export class SeedDefaultReminders1795848530659 implements MigrationInterface {
  name = 'SeedDefaultReminders1795848530659';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const rule of RULES) {
      // ON CONFLICT DO NOTHING: re-running keeps templates an administrator already edited.
      await queryRunner.query(
        'INSERT INTO reminder_templates (key, content) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        [rule.key, JSON.stringify(content(rule.offsetDays))],
      );
      await queryRunner.query(
        "INSERT INTO reminder_rules (name, offset_days, send_time, audience, template_key, enabled) VALUES ($1, $2, '10:00', 'all', $3, true)",
        [rule.name, rule.offsetDays, rule.key],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM reminder_rules WHERE template_key = ANY($1)', [RULES.map((rule) => rule.key)]);
    await queryRunner.query('DELETE FROM reminder_templates WHERE key = ANY($1)', [RULES.map((rule) => rule.key)]);
  }
}
