import { MigrationInterface, QueryRunner } from 'typeorm';

/** Transactional mail is written in the transaction that decides it and sent from this table (src/mail/outbox-mail.entity.ts). */
export class MailOutbox1795865000000 implements MigrationInterface {
  name = 'MailOutbox1795865000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_outbox" ("id" BIGSERIAL NOT NULL, "kind" character varying(60) NOT NULL, "sealed" bytea, "status" character varying(20) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE, "claimed_by" character varying(100), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN ('queued', 'sending', 'failed')), CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" ("next_attempt_at", "id") WHERE "status" = 'queued'`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_claimed_idx" ON "mail_outbox" ("claimed_at") WHERE "claimed_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
  }
}
