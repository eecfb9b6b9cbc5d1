import { MigrationInterface, QueryRunner } from 'typeorm';

const DEFERRED_KINDS = `('staff.password-reset.request', 'subscription.request', 'volunteer.sign-up')`;

/**
 * The mail outbox becomes the job queue it already was: `jobs`, one row per unit of background
 * work (sending a transactional mail is the kind `mail.send`). Features write jobs through
 * `enqueue_job()` (or the jobs module), and a statement that writes jobs notifies the channel
 * `jobs`, which every instance listens on: the commit wakes whichever instance is free.
 */
export class Jobs1795873000000 implements MigrationInterface {
  name = 'Jobs1795873000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" RENAME TO "jobs"`);
    await queryRunner.query(`ALTER TABLE "jobs" RENAME COLUMN "sealed" TO "payload"`);
    await queryRunner.query(`ALTER TABLE "jobs" RENAME COLUMN "next_attempt_at" TO "run_at"`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP CONSTRAINT "mail_outbox_status_check"`);
    await queryRunner.query(`UPDATE "jobs" SET "status" = 'running' WHERE "status" = 'sending'`);
    await queryRunner.query(`UPDATE "jobs" SET "kind" = 'mail.send' WHERE "kind" NOT IN ${DEFERRED_KINDS}`);
    await queryRunner.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "jobs_status_check" CHECK ("status" IN ('queued', 'running', 'failed', 'dropped'))`,
    );
    await queryRunner.query(`ALTER TABLE "jobs" RENAME CONSTRAINT "mail_outbox_pkey" TO "jobs_pkey"`);
    await queryRunner.query(`ALTER SEQUENCE "mail_outbox_id_seq" RENAME TO "jobs_id_seq"`);
    await queryRunner.query(`ALTER INDEX "mail_outbox_due_idx" RENAME TO "jobs_due_idx"`);
    await queryRunner.query(`ALTER INDEX "mail_outbox_claimed_idx" RENAME TO "jobs_claimed_idx"`);
    await queryRunner.query(
      `CREATE FUNCTION enqueue_job(job_kind text, job_payload bytea, job_run_at timestamptz) RETURNS bigint
         LANGUAGE sql VOLATILE AS $$
           INSERT INTO jobs (kind, payload, run_at) VALUES (job_kind, job_payload, job_run_at) RETURNING id
         $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_notify('jobs', 'jobs'); RETURN NULL; END
       $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "jobs_notify" AFTER INSERT ON "jobs" FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "jobs_notify" ON "jobs"`);
    await queryRunner.query(`DROP FUNCTION jobs_notify()`);
    await queryRunner.query(`DROP FUNCTION enqueue_job(text, bytea, timestamptz)`);
    await queryRunner.query(`ALTER INDEX "jobs_claimed_idx" RENAME TO "mail_outbox_claimed_idx"`);
    await queryRunner.query(`ALTER INDEX "jobs_due_idx" RENAME TO "mail_outbox_due_idx"`);
    await queryRunner.query(`ALTER SEQUENCE "jobs_id_seq" RENAME TO "mail_outbox_id_seq"`);
    await queryRunner.query(`ALTER TABLE "jobs" RENAME CONSTRAINT "jobs_pkey" TO "mail_outbox_pkey"`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP CONSTRAINT "jobs_status_check"`);
    // A mail keeps the kind `mail.send`, which the outbox sent as a message like any kind without a handler.
    await queryRunner.query(`UPDATE "jobs" SET "status" = 'sending' WHERE "status" = 'running'`);
    await queryRunner.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN ('queued', 'sending', 'failed', 'dropped'))`,
    );
    await queryRunner.query(`ALTER TABLE "jobs" RENAME COLUMN "run_at" TO "next_attempt_at"`);
    await queryRunner.query(`ALTER TABLE "jobs" RENAME COLUMN "payload" TO "sealed"`);
    await queryRunner.query(`ALTER TABLE "jobs" RENAME TO "mail_outbox"`);
  }
}
