import { MigrationInterface, QueryRunner } from 'typeorm';

export class Volunteers1795848311070 implements MigrationInterface {
  name = 'Volunteers1795848311070';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "volunteers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ceremony_id" uuid NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "name" character varying(200), "email" character varying(254), "phone" character varying(40), "languages" character varying(2) array, "note" text, "locale" character varying(2), "consent_reminders" boolean NOT NULL DEFAULT false, "token_hash" character varying(64), "confirmation_resent_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmation_seq" bigint, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "volunteers_erased_check" CHECK ("status" <> 'withdrawn' OR ("name" IS NULL AND "email" IS NULL AND "phone" IS NULL AND "note" IS NULL AND "languages" IS NULL AND "token_hash" IS NULL)), CONSTRAINT "volunteers_status_check" CHECK ("status" IN ('pending', 'confirmed', 'withdrawn')), CONSTRAINT "PK_f4e65e37cf47256e3f580ecee62" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "volunteers_ceremony_idx" ON "volunteers" ("ceremony_id") `);
    await queryRunner.query(
      `CREATE INDEX "volunteers_pending_expiry_idx" ON "volunteers" ("expires_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "volunteers_token_hash_key" ON "volunteers" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "volunteer_roles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ceremony_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "description" text, "capacity" integer NOT NULL, "filled" integer NOT NULL DEFAULT '0', "shift_start" character varying(5) NOT NULL, "shift_end" character varying(5) NOT NULL, "required_languages" character varying(2) array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "volunteer_roles_shift_check" CHECK ("shift_start" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "shift_end" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "shift_end" > "shift_start"), CONSTRAINT "volunteer_roles_filled_check" CHECK ("filled" >= 0 AND "filled" <= "capacity"), CONSTRAINT "volunteer_roles_capacity_check" CHECK ("capacity" >= 1), CONSTRAINT "PK_68ad8f41a101d3458784316c29e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "volunteer_roles_ceremony_name_key" ON "volunteer_roles" ("ceremony_id", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "volunteer_assignments" ("volunteer_id" uuid NOT NULL, "role_id" uuid NOT NULL, "state" character varying(20) NOT NULL, "waitlist_position" bigint, "assigned_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "volunteer_assignments_waitlist_check" CHECK (("state" = 'waitlisted') = ("waitlist_position" IS NOT NULL)), CONSTRAINT "volunteer_assignments_state_check" CHECK ("state" IN ('requested', 'assigned', 'waitlisted')), CONSTRAINT "volunteer_assignments_pkey" PRIMARY KEY ("volunteer_id", "role_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "volunteer_assignments_role_idx" ON "volunteer_assignments" ("role_id") `);
    await queryRunner.query(
      `CREATE INDEX "volunteer_assignments_waitlist_idx" ON "volunteer_assignments" ("role_id", "waitlist_position") WHERE "state" = 'waitlisted'`,
    );
    // Hand-written (declared on the entities with synchronize: false / used in SQL only):
    // one volunteer per address and edition whatever the case, and the queue order of confirmations.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "volunteers_ceremony_email_key" ON "volunteers" ("ceremony_id", lower("email"))`,
    );
    await queryRunner.query(`CREATE SEQUENCE "volunteer_queue_seq"`);
    await queryRunner.query(
      `ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_ceremony_fk" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "volunteer_roles" ADD CONSTRAINT "volunteer_roles_ceremony_fk" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "volunteer_assignments" ADD CONSTRAINT "volunteer_assignments_volunteer_fk" FOREIGN KEY ("volunteer_id") REFERENCES "volunteers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "volunteer_assignments" ADD CONSTRAINT "volunteer_assignments_role_fk" FOREIGN KEY ("role_id") REFERENCES "volunteer_roles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "volunteer_assignments" DROP CONSTRAINT "volunteer_assignments_role_fk"`);
    await queryRunner.query(`ALTER TABLE "volunteer_assignments" DROP CONSTRAINT "volunteer_assignments_volunteer_fk"`);
    await queryRunner.query(`ALTER TABLE "volunteer_roles" DROP CONSTRAINT "volunteer_roles_ceremony_fk"`);
    await queryRunner.query(`ALTER TABLE "volunteers" DROP CONSTRAINT "volunteers_ceremony_fk"`);
    await queryRunner.query(`DROP SEQUENCE "volunteer_queue_seq"`);
    await queryRunner.query(`DROP INDEX "public"."volunteers_ceremony_email_key"`);
    await queryRunner.query(`DROP INDEX "public"."volunteer_assignments_waitlist_idx"`);
    await queryRunner.query(`DROP INDEX "public"."volunteer_assignments_role_idx"`);
    await queryRunner.query(`DROP TABLE "volunteer_assignments"`);
    await queryRunner.query(`DROP INDEX "public"."volunteer_roles_ceremony_name_key"`);
    await queryRunner.query(`DROP TABLE "volunteer_roles"`);
    await queryRunner.query(`DROP INDEX "public"."volunteers_token_hash_key"`);
    await queryRunner.query(`DROP INDEX "public"."volunteers_pending_expiry_idx"`);
    await queryRunner.query(`DROP INDEX "public"."volunteers_ceremony_idx"`);
    await queryRunner.query(`DROP TABLE "volunteers"`);
  }
}
