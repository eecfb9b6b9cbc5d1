import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every instance (rate-limiter-flexible's RateLimiterPostgres layout:
 * key, points, expire in epoch ms), and the outbox status of a mail dropped by the per-recipient bound.
 * UNLOGGED: counters are worth no WAL; after a crash they start again from zero.
 */
export class RateLimits1795866100000 implements MigrationInterface {
  name = 'RateLimits1795866100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limits" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT 0, "expire" bigint, CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN ('queued', 'sending', 'failed', 'dropped'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "mail_outbox" WHERE "status" = 'dropped'`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN ('queued', 'sending', 'failed'))`,
    );
    await queryRunner.query(`DROP TABLE "rate_limits"`);
  }
}
