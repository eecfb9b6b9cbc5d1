import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const REMINDER_AUDIENCES = ['subscribers', 'volunteers', 'visitors', 'all'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

@Entity('reminder_rules')
@Check('reminder_rules_offset_check', `"offset_days" BETWEEN 0 AND 366`)
@Check('reminder_rules_send_time_check', `"send_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`)
@Check('reminder_rules_audience_check', `"audience" IN ('subscribers', 'volunteers', 'visitors', 'all')`)
export class ReminderRule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Calendar days before the edition's date. */
  @Column({ name: 'offset_days', type: 'int' })
  offsetDays!: number;

  /** Local time of the edition's time zone, HH:mm. */
  @Column({ name: 'send_time', type: 'varchar', length: 5 })
  sendTime!: string;

  @Column({ type: 'varchar', length: 20 })
  audience!: ReminderAudience;

  @Column({ name: 'template_key', type: 'varchar', length: 100 })
  templateKey!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
