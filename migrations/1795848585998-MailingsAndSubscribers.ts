import { MigrationInterface, QueryRunner } from 'typeorm';

export class MailingsAndSubscribers1795848585998 implements MigrationInterface {
  name = 'MailingsAndSubscribers1795848585998';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "suppressions" ("email" character varying(254) NOT NULL, "reason" character varying(20) NOT NULL, "source" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "suppressions_reason_check" CHECK ("reason" IN ('unsubscribed', 'erased', 'bounced', 'complaint')), CONSTRAINT "suppressions_email_lower_check" CHECK ("email" = lower("email")), CONSTRAINT "suppressions_pkey" PRIMARY KEY ("email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "mailings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'draft', "audience" jsonb NOT NULL, "ceremony_id" uuid, "content" jsonb NOT NULL, "origin" character varying(40) NOT NULL DEFAULT 'staff', "send_at" TIMESTAMP WITH TIME ZONE, "frozen_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "stopped_reason" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mailings_status_check" CHECK ("status" IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled', 'stopped')), CONSTRAINT "PK_62f62ea6a10bcd482f24ac751c7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "mailings_created_at_idx" ON "mailings" ("created_at") `);
    await queryRunner.query(
      `CREATE TABLE "deliveries" ("id" BIGSERIAL NOT NULL, "mailing_id" uuid NOT NULL, "email" character varying(254) NOT NULL, "name" character varying(200), "locale" character varying(2), "source_type" character varying(30) NOT NULL, "source_id" character varying(64), "manage_url" text, "status" character varying(20) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE, "claimed_by" character varying(100), "message_id" character varying(300), "unsubscribe_token_hash" character varying(64), "previous_token_hash" character varying(64), "sent_at" TIMESTAMP WITH TIME ZONE, "smtp_response" text, "last_error" text, "skip_reason" character varying(60), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "deliveries_email_lower_check" CHECK ("email" = lower("email")), CONSTRAINT "deliveries_status_check" CHECK ("status" IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled')), CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_unsubscribe_token_key" ON "deliveries" ("unsubscribe_token_hash") `,
    );
    await queryRunner.query(`CREATE INDEX "deliveries_previous_token_idx" ON "deliveries" ("previous_token_hash") `);
    await queryRunner.query(
      `CREATE INDEX "deliveries_sent_at_idx" ON "deliveries" ("sent_at") WHERE "sent_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliveries_claimed_idx" ON "deliveries" ("claimed_at") WHERE "status" = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "deliveries_due_idx" ON "deliveries" ("next_attempt_at") WHERE "status" = 'queued'`,
    );
    await queryRunner.query(`CREATE INDEX "deliveries_mailing_status_idx" ON "deliveries" ("mailing_id", "status") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_mailing_email_key" ON "deliveries" ("mailing_id", "email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "subscribers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(200), "locale" character varying(2) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "confirm_token_hash" character varying(64), "confirm_sent_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "subscribers_locale_check" CHECK ("locale" IN ('az', 'en', 'ru')), CONSTRAINT "subscribers_email_lower_check" CHECK ("email" = lower("email")), CONSTRAINT "subscribers_status_check" CHECK ("status" IN ('pending', 'confirmed', 'unsubscribed')), CONSTRAINT "PK_cbe0a7a9256c826f403c0236b67" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "subscribers_email_key" ON "subscribers" ("email") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "subscribers_confirm_token_key" ON "subscribers" ("confirm_token_hash") `,
    );
    await queryRunner.query(
      `ALTER TABLE "mailings" ADD CONSTRAINT "mailings_ceremony_id_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_mailing_id_fkey" FOREIGN KEY ("mailing_id") REFERENCES "mailings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_mailing_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "mailings" DROP CONSTRAINT "mailings_ceremony_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."subscribers_confirm_token_key"`);
    await queryRunner.query(`DROP INDEX "public"."subscribers_email_key"`);
    await queryRunner.query(`DROP TABLE "subscribers"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_mailing_email_key"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_mailing_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_due_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_claimed_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_sent_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_previous_token_idx"`);
    await queryRunner.query(`DROP INDEX "public"."deliveries_unsubscribe_token_key"`);
    await queryRunner.query(`DROP TABLE "deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."mailings_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "mailings"`);
    await queryRunner.query(`DROP TABLE "suppressions"`);
  }
}
