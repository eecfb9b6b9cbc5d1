import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ceremonies1795848026141 implements MigrationInterface {
  name = 'Ceremonies1795848026141';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ceremonies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "year" integer NOT NULL, "title" character varying(300) NOT NULL, "date" date NOT NULL, "start_time" character varying(5) NOT NULL, "time_zone" character varying(64) NOT NULL, "venue_name" character varying(300) NOT NULL, "venue_address" character varying(500) NOT NULL, "venue_lat" double precision, "venue_lng" double precision, "description" text, "locales" character varying(2) array NOT NULL DEFAULT '{az,en,ru}', "status" character varying(20) NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ceremonies_date_in_year_check" CHECK (EXTRACT(YEAR FROM "date") = "year"), CONSTRAINT "ceremonies_year_check" CHECK ("year" BETWEEN 1992 AND 2200), CONSTRAINT "ceremonies_status_check" CHECK ("status" IN ('draft', 'published')), CONSTRAINT "PK_6135eee2a988c516feec10c188e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ceremonies_year_key" ON "ceremonies" ("year") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ceremonies_year_key"`);
    await queryRunner.query(`DROP TABLE "ceremonies"`);
  }
}
