import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Texts in several languages. The existing text columns stay and keep the text every reader gets
 * when a field has no per-language map (and what CSV and SQL readers see); a parallel `translations`
 * jsonb holds the maps by field path. So existing rows need no rewrite: a single-language text is
 * already "the same in every language", and nothing is lost either way.
 */
export class LocalizedTexts1795866000000 implements MigrationInterface {
  name = 'LocalizedTexts1795866000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['ceremonies', 'program_items', 'volunteer_roles']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "translations" jsonb NOT NULL DEFAULT '{}'`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_translations_check" CHECK (jsonb_typeof("translations") = 'object')`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The plain columns already hold each field's text in the edition's first language.
    for (const table of ['volunteer_roles', 'program_items', 'ceremonies']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_translations_check"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "translations"`);
    }
  }
}
