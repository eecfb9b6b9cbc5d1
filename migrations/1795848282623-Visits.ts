import { MigrationInterface, QueryRunner } from 'typeorm';

export class Visits1795848282623 implements MigrationInterface {
  name = 'Visits1795848282623';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "visit_slots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ceremony_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "capacity" integer NOT NULL, "booked" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "visit_slots_times_check" CHECK ("ends_at" > "starts_at"), CONSTRAINT "visit_slots_booked_check" CHECK ("booked" >= 0 AND "booked" <= "capacity"), CONSTRAINT "visit_slots_capacity_check" CHECK ("capacity" >= 1), CONSTRAINT "PK_b6f97becfd4de0bfcf6517cd451" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "visit_slots_ceremony_starts_idx" ON "visit_slots" ("ceremony_id", "starts_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "bookings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slot_id" uuid NOT NULL, "sequence" BIGSERIAL NOT NULL, "name" character varying(200) NOT NULL, "email" character varying(254) NOT NULL, "phone" character varying(40), "group_name" character varying(200), "party_size" integer NOT NULL, "locale" character varying(2), "status" character varying(20) NOT NULL, "manage_token_hash" character(64) NOT NULL, "checked_in_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "bookings_party_size_check" CHECK ("party_size" >= 1), CONSTRAINT "bookings_status_check" CHECK ("status" IN ('confirmed', 'waitlisted', 'cancelled')), CONSTRAINT "PK_bee6805982cc1e248e94ce94957" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "bookings_manage_token_hash_key" ON "bookings" ("manage_token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "bookings_slot_status_sequence_idx" ON "bookings" ("slot_id", "status", "sequence") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "bookings_slot_email_active_key" ON "bookings" ("slot_id", "email") WHERE "status" <> 'cancelled'`,
    );
    await queryRunner.query(
      `ALTER TABLE "visit_slots" ADD CONSTRAINT "visit_slots_ceremony_fk" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "bookings_slot_fk" FOREIGN KEY ("slot_id") REFERENCES "visit_slots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "bookings_slot_fk"`);
    await queryRunner.query(`ALTER TABLE "visit_slots" DROP CONSTRAINT "visit_slots_ceremony_fk"`);
    await queryRunner.query(`DROP INDEX "public"."bookings_slot_email_active_key"`);
    await queryRunner.query(`DROP INDEX "public"."bookings_slot_status_sequence_idx"`);
    await queryRunner.query(`DROP INDEX "public"."bookings_manage_token_hash_key"`);
    await queryRunner.query(`DROP TABLE "bookings"`);
    await queryRunner.query(`DROP INDEX "public"."visit_slots_ceremony_starts_idx"`);
    await queryRunner.query(`DROP TABLE "visit_slots"`);
  }
}
