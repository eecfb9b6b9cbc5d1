import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Ceremony } from '../ceremonies/ceremony.entity';

/**
 * A time window in which visitors come to the memorial. `capacity` and `booked` count people;
 * `booked` is the sum of the party sizes of the slot's confirmed bookings and is only ever
 * changed by conditional updates (see VisitsRepository), with the CHECK below as backstop.
 */
@Entity('visit_slots')
@Check('visit_slots_capacity_check', `"capacity" >= 1`)
@Check('visit_slots_booked_check', `"booked" >= 0 AND "booked" <= "capacity"`)
@Check('visit_slots_times_check', `"ends_at" > "starts_at"`)
@Index('visit_slots_ceremony_starts_idx', ['ceremonyId', 'startsAt'])
export class VisitSlot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ceremony_id', type: 'uuid' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'visit_slots_ceremony_fk' })
  ceremony?: Ceremony;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'int' })
  capacity!: number;

  /** Confirmed people. */
  @Column({ type: 'int', default: 0 })
  booked!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
