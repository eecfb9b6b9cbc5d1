import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Volunteer } from './volunteer.entity';

/**
 * A sign-up made again for an address that is already a pending volunteer: its details wait here,
 * sealed, with the hash of the token mailed for them, and reach the volunteer only when that link
 * is confirmed. Deleted once the volunteer is confirmed (by any link) or erased, or when it expires.
 */
@Entity('volunteer_signup_requests')
export class VolunteerSignupRequest {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'volunteer_signup_requests_pkey' })
  id!: string;

  @Index('volunteer_signup_requests_volunteer_idx')
  @Column({ name: 'volunteer_id', type: 'uuid' })
  volunteerId!: string;

  @ManyToOne(() => Volunteer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'volunteer_id', foreignKeyConstraintName: 'volunteer_signup_requests_volunteer_fk' })
  volunteer?: Volunteer;

  /** SHA-256 of the token mailed for these details. */
  @Index('volunteer_signup_requests_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The requested details and roles (VolunteerMailer.seal): they are personal data of someone who has not confirmed. */
  @Column({ type: 'bytea' })
  sealed!: Buffer;

  @Index('volunteer_signup_requests_expiry_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
