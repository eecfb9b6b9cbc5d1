import { MigrationInterface, QueryRunner } from 'typeorm';

export class CeremonyProgram1795848257185 implements MigrationInterface {
  name = 'CeremonyProgram1795848257185';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "program_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ceremony_id" uuid NOT NULL, "start_time" character varying(5) NOT NULL, "end_time" character varying(5), "title" character varying(300) NOT NULL, "speaker" character varying(300), "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "program_items_end_after_start_check" CHECK ("end_time" IS NULL OR "end_time" > "start_time"), CONSTRAINT "PK_2c72bbdba0a1d30f32169bc12ec" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "program_items_ceremony_order_idx" ON "program_items" ("ceremony_id", "start_time") `,
    );
    await queryRunner.query(
      `ALTER TABLE "program_items" ADD CONSTRAINT "program_items_ceremony_fkey" FOREIGN KEY ("ceremony_id") REFERENCES "ceremonies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "program_items" DROP CONSTRAINT "program_items_ceremony_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."program_items_ceremony_order_idx"`);
    await queryRunner.query(`DROP TABLE "program_items"`);
  }
}
