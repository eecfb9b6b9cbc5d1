import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Locale } from '../config/commemoration.config';
import { VisitSlot } from './visit-slot.entity';

export const BOOKING_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** A visitor's (or a group's) booking of a slot. `email` is stored lower-cased. */
@Entity('bookings')
@Check('bookings_status_check', `"status" IN ('confirmed', 'waitlisted', 'cancelled')`)
@Check('bookings_party_size_check', `"party_size" >= 1`)
// One active booking per address and slot; cancelled ones do not count.
@Index('bookings_slot_email_active_key', ['slotId', 'email'], { unique: true, where: `"status" <> 'cancelled'` })
@Index('bookings_slot_status_sequence_idx', ['slotId', 'status', 'sequence'])
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'slot_id', type: 'uuid' })
  slotId!: string;

  @ManyToOne(() => VisitSlot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'slot_id', foreignKeyConstraintName: 'bookings_slot_fk' })
  slot?: VisitSlot;

  /** Arrival order: the waitlist is promoted in this order. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  sequence!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  @Column({ name: 'group_name', type: 'varchar', length: 200, nullable: true })
  groupName!: string | null;

  @Column({ name: 'party_size', type: 'int' })
  partySize!: number;

  @Column({ type: 'varchar', length: 2, nullable: true })
  locale!: Locale | null;

  @Column({ type: 'varchar', length: 20 })
  status!: BookingStatus;

  @Index('bookings_manage_token_hash_key', { unique: true })
  @Column({ name: 'manage_token_hash', type: 'char', length: 64 })
  manageTokenHash!: string;

  /** SHA-256 of the check-in code shown as the QR image (see check-in-codes.ts); null once erased. */
  @Index('bookings_check_in_code_hash_key', { unique: true })
  @Column({ name: 'check_in_code_hash', type: 'char', length: 64, nullable: true })
  checkInCodeHash!: string | null;

  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** When the retention job erased the visitor's personal data (the counts stay). */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
