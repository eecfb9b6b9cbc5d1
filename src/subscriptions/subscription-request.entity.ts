import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Subscriber } from './subscriber.entity';

/**
 * A subscription requested again for a known address: its name and language wait here, sealed,
 * with the hash of the token mailed for them, and reach the subscriber only when that link is
 * confirmed. Deleted once the subscriber confirms (by any link), or when it expires.
 */
@Entity('subscription_requests')
export class SubscriptionRequest {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'subscription_requests_pkey' })
  id!: string;

  @Index('subscription_requests_subscriber_idx')
  @Column({ name: 'subscriber_id', type: 'uuid' })
  subscriberId!: string;

  @ManyToOne(() => Subscriber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscriber_id', foreignKeyConstraintName: 'subscription_requests_subscriber_fk' })
  subscriber?: Subscriber;

  /** SHA-256 of the token mailed for these details. */
  @Index('subscription_requests_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The requested name and language (Jobs.seal). */
  @Column({ type: 'bytea' })
  sealed!: Buffer;

  @Index('subscription_requests_expiry_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
