import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { StaffRole } from '../common/staff';

export { STAFF_ROLES } from '../common/staff';
export type { StaffRole } from '../common/staff';

@Entity('users')
@Check('users_role_check', `"role" IN ('admin', 'organizer')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: StaffRole;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Carried in every token (`ver`); raised on a password change, role change or deactivation, which refuses every earlier token. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** SHA-256 of the one live password-reset token; a newer request replaces it. */
  @Index('users_reset_token_hash_key', { unique: true })
  @Column({ name: 'reset_token_hash', type: 'varchar', length: 64, nullable: true })
  resetTokenHash!: string | null;

  @Column({ name: 'reset_requested_at', type: 'timestamptz', nullable: true })
  resetRequestedAt!: Date | null;

  @Column({ name: 'reset_expires_at', type: 'timestamptz', nullable: true })
  resetExpiresAt!: Date | null;

  /** The TOTP secret, sealed (AES-256-GCM); pending until `totpEnabledAt` is set. */
  @Column({ name: 'totp_secret', type: 'bytea', nullable: true })
  totpSecret!: Buffer | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  /** The last accepted TOTP time step: a code of that step or earlier is refused (no replay). */
  @Column({ name: 'totp_last_step', type: 'integer', nullable: true })
  totpLastStep!: number | null;

  /** SHA-256 of each unused recovery code. */
  @Column({ name: 'recovery_code_hashes', type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  recoveryCodeHashes!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
