import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ceremony } from '../ceremonies/ceremony.entity';
import { ReminderRule } from './reminder-rule.entity';

export const RUN_STATUSES = ['fired', 'missed', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * One row per (rule, edition), ever: the unique key is what makes a reminder fire exactly once,
 * whatever the number of instances, ticks or restarts.
 */
@Entity('reminder_runs')
@Index('reminder_runs_rule_ceremony_key', ['ruleId', 'ceremonyId'], { unique: true })
@Check('reminder_runs_status_check', `"status" IN ('fired', 'missed', 'skipped')`)
export class ReminderRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId!: string;

  @ManyToOne(() => ReminderRule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'reminder_runs_rule_fk' })
  rule?: ReminderRule;

  @Index('reminder_runs_ceremony_idx')
  @Column({ name: 'ceremony_id', type: 'uuid' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'reminder_runs_ceremony_fk' })
  ceremony?: Ceremony;

  @Column({ type: 'int' })
  year!: number;

  /** The due time when the run was recorded (it follows the edition's date until then). */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  status!: RunStatus;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ name: 'mailing_id', type: 'uuid', nullable: true })
  mailingId!: string | null;

  /** Which instance recorded it (for operators). */
  @Column({ name: 'recorded_by', type: 'varchar', length: 100 })
  recordedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
