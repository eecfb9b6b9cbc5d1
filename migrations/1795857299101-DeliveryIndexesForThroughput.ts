import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for mailing throughput (docs/PERFORMANCE.md): the claim's ORDER BY (next_attempt_at, id)
 * is covered by the due index, and the token indexes leave out the rows without tokens, so the
 * freeze of an audience writes two fewer index entries per recipient. claimed_at now marks only
 * rows in flight (cleared when a row leaves 'sending'), and its index leaves out the rest.
 */
export class DeliveryIndexesForThroughput1795857299101 implements MigrationInterface {
  name = 'DeliveryIndexesForThroughput1795857299101';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."deliveries_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_due_idx" ON "deliveries" ("next_attempt_at", "id") WHERE "status" = 'queued'`,
    );
    await queryRunner.query(
      `UPDATE "deliveries" SET "claimed_at" = NULL WHERE "status" <> 'sending' AND "claimed_at" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."deliveries_claimed_idx"`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_claimed_idx" ON "deliveries" ("claimed_at") WHERE "claimed_at" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."deliveries_unsubscribe_token_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_unsubscribe_token_key" ON "deliveries" ("unsubscribe_token_hash") WHERE "unsubscribe_token_hash" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."deliveries_previous_token_idx"`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_previous_token_idx" ON "deliveries" ("previous_token_hash") WHERE "previous_token_hash" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."deliveries_previous_token_idx"`);
    await queryRunner.query(`CREATE INDEX "deliveries_previous_token_idx" ON "deliveries" ("previous_token_hash") `);
    await queryRunner.query(`DROP INDEX "public"."deliveries_unsubscribe_token_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_unsubscribe_token_key" ON "deliveries" ("unsubscribe_token_hash") `,
    );
    await queryRunner.query(`DROP INDEX "public"."deliveries_claimed_idx"`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_claimed_idx" ON "deliveries" ("claimed_at") WHERE "status" = 'sending'`,
    );
    await queryRunner.query(`DROP INDEX "public"."deliveries_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "deliveries_due_idx" ON "deliveries" ("next_attempt_at") WHERE "status" = 'queued'`,
    );
  }
}
