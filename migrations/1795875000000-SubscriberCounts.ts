import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many subscribers there are in each state, kept beside `subscribers` so that the console
 * reads a few rows instead of counting every subscriber. Each statement that inserts, updates or
 * deletes subscribers appends one row per state it changed (the net change, from the statement's
 * transition tables); nothing is ever updated in place, so concurrent sign-ups never wait for one
 * another. The count of a state is the sum of its rows. A scheduled task folds the rows into one
 * per state (src/subscriptions/subscribers.repository.ts, `compactCounts`), and a truncation of
 * `subscribers` empties the table.
 */
export class SubscriberCounts1795875000000 implements MigrationInterface {
  name = 'SubscriberCounts1795875000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "subscriber_counts" ("id" bigserial NOT NULL, "status" character varying(20) NOT NULL, "delta" bigint NOT NULL, CONSTRAINT "PK_subscriber_counts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE FUNCTION subscriber_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF TG_OP = 'INSERT' THEN
             INSERT INTO subscriber_counts (status, delta) SELECT status, count(*) FROM new_rows GROUP BY status;
           ELSIF TG_OP = 'DELETE' THEN
             INSERT INTO subscriber_counts (status, delta) SELECT status, -count(*) FROM old_rows GROUP BY status;
           ELSIF TG_OP = 'UPDATE' THEN
             INSERT INTO subscriber_counts (status, delta)
               SELECT status, sum(change) FROM (
                 SELECT status, 1 AS change FROM new_rows UNION ALL SELECT status, -1 FROM old_rows
               ) AS changes GROUP BY status HAVING sum(change) <> 0;
           ELSE
             DELETE FROM subscriber_counts;
           END IF;
           RETURN NULL;
         END
       $$`,
    );
    // Transition tables allow one event per trigger.
    await queryRunner.query(
      `CREATE TRIGGER "subscriber_counts_insert" AFTER INSERT ON "subscribers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_track()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "subscriber_counts_update" AFTER UPDATE ON "subscribers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_track()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "subscriber_counts_delete" AFTER DELETE ON "subscribers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_track()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "subscriber_counts_truncate" AFTER TRUNCATE ON "subscribers" FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_track()`,
    );
    // The subscribers already there, counted once (the table is locked so none is missed or counted twice).
    await queryRunner.query(`LOCK TABLE "subscribers" IN SHARE MODE`);
    await queryRunner.query(
      `INSERT INTO subscriber_counts (status, delta) SELECT status, count(*) FROM subscribers GROUP BY status`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "subscriber_counts_truncate" ON "subscribers"`);
    await queryRunner.query(`DROP TRIGGER "subscriber_counts_delete" ON "subscribers"`);
    await queryRunner.query(`DROP TRIGGER "subscriber_counts_update" ON "subscribers"`);
    await queryRunner.query(`DROP TRIGGER "subscriber_counts_insert" ON "subscribers"`);
    await queryRunner.query(`DROP FUNCTION subscriber_counts_track()`);
    await queryRunner.query(`DROP TABLE "subscriber_counts"`);
  }
}
