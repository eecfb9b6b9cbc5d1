import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reminders1795848530658 implements MigrationInterface {
  name = 'Reminders1795848530658';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reminder_templates" ("key" character varying(100) NOT NULL, "content" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_11008fde099d3fe5d09edbb86bc" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reminder_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "offset_days" integer NOT NULL, "send_time" character varying(5) NOT NULL, "audience" character varying(20) NOT NULL, "template_key" character varying(100) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reminder_rules_audience_check" CHECK ("audience" IN ('subscribers', 'volunteers', 'visitors', 'all')), CONSTRAINT "reminder_rules_send_time_check" CHECK ("send_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'), CONSTRAINT "reminder_rules_offset_check" CHECK ("offset_days" BETWEEN 0 AND 366), CONSTRAINT "PK_b42e2f1ee2f100d8471b63a2cb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reminder_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_id" uuid NOT NULL, "ceremony_id" uuid NOT NULL, "year" integer NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(20) NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE, "mailing_id" uuid, "recorded_by" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reminder_runs_status_check" CHECK ("status" IN ('fired', 'missed', 'skipped')), CONSTRAINT "PK_2f7268f4fad03f693a06277a9f3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "reminder_runs_ceremony_idx" ON "reminder_runs" ("ceremony_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "reminder_runs_rule_ceremony_key" ON "reminder_runs" ("rule_id", "ceremony_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "reminder_runs" ADD CONSTRAINT "reminder_runs_rule_fk" FOREIGN KEY ("rule_id") REFERENCES "reminder_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reminder_runs" ADD CONSTRAINT "reminder_runs_ceremony_fk" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reminder_runs" DROP CONSTRAINT "reminder_runs_ceremony_fk"`);
    await queryRunner.query(`ALTER TABLE "reminder_runs" DROP CONSTRAINT "reminder_runs_rule_fk"`);
    await queryRunner.query(`DROP INDEX "public"."reminder_runs_rule_ceremony_key"`);
    await queryRunner.query(`DROP INDEX "public"."reminder_runs_ceremony_idx"`);
    await queryRunner.query(`DROP TABLE "reminder_runs"`);
    await queryRunner.query(`DROP TABLE "reminder_rules"`);
    await queryRunner.query(`DROP TABLE "reminder_templates"`);
  }
}
