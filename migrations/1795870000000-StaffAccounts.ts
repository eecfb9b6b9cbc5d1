import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts that can be trusted (src/users/user.entity.ts): a token version that revokes
 * every earlier token, deactivation, a password-reset token (hash only), and TOTP two-factor
 * sign-in (sealed secret, last accepted time step, hashed recovery codes).
 */
export class StaffAccounts1795870000000 implements MigrationInterface {
  name = 'StaffAccounts1795870000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT '0', ADD "active" boolean NOT NULL DEFAULT true, ADD "reset_token_hash" character varying(64), ADD "reset_requested_at" TIMESTAMP WITH TIME ZONE, ADD "reset_expires_at" TIMESTAMP WITH TIME ZONE, ADD "totp_secret" bytea, ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE, ADD "totp_last_step" integer, ADD "recovery_code_hashes" character varying(64) array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_reset_token_hash_key" ON "users" ("reset_token_hash") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_reset_token_hash_key"`);
    await queryRunner.query(
      `ALTER TABLE "users" DROP COLUMN "recovery_code_hashes", DROP COLUMN "totp_last_step", DROP COLUMN "totp_enabled_at", DROP COLUMN "totp_secret", DROP COLUMN "reset_expires_at", DROP COLUMN "reset_requested_at", DROP COLUMN "reset_token_hash", DROP COLUMN "active", DROP COLUMN "token_version"`,
    );
  }
}
