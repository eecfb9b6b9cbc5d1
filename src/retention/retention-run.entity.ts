import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Ceremony } from '../ceremonies/ceremony.entity';

/** The erasure of one edition's personal data: written once, in the transaction that erased it. */
@Entity('retention_runs')
export class RetentionRun {
  @PrimaryColumn({ name: 'ceremony_id', type: 'uuid', primaryKeyConstraintName: 'retention_runs_pkey' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'retention_runs_ceremony_fk' })
  ceremony?: Ceremony;

  @Column({ name: 'erased_at', type: 'timestamptz' })
  erasedAt!: Date;

  /** How many records were erased, per kind (the audit entry holds the same counts). */
  @Column({ type: 'int' })
  bookings!: number;

  @Column({ type: 'int' })
  volunteers!: number;

  @Column({ type: 'int' })
  deliveries!: number;

  @Column({ type: 'int' })
  outbox!: number;
}
