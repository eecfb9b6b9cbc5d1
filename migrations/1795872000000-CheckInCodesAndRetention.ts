import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking's check-in code (the QR image) is stored only as its SHA-256, so the desk can look it
 * up and the database alone cannot produce one. `retention_runs` records, per edition, the erasure
 * of its personal data: one row per edition makes the job idempotent across runs and instances.
 */
export class CheckInCodesAndRetention1795872000000 implements MigrationInterface {
  name = 'CheckInCodesAndRetention1795872000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bookings" ADD "check_in_code_hash" character(64)`);
    await queryRunner.query(`ALTER TABLE "bookings" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "bookings_check_in_code_hash_key" ON "bookings" ("check_in_code_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "retention_runs" ("ceremony_id" uuid NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL, "bookings" integer NOT NULL, "volunteers" integer NOT NULL, "deliveries" integer NOT NULL, "outbox" integer NOT NULL, CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("ceremony_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_ceremony_fk" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "retention_runs" DROP CONSTRAINT "retention_runs_ceremony_fk"`);
    await queryRunner.query(`DROP TABLE "retention_runs"`);
    await queryRunner.query(`DROP INDEX "public"."bookings_check_in_code_hash_key"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "erased_at"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "check_in_code_hash"`);
  }
}
