import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface LocalizedContent {
  subject: string;
  text: string;
  html?: string;
}

/** The mailing content of a reminder, per language, keyed by the rule's templateKey. */
@Entity('reminder_templates')
export class ReminderTemplate {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'jsonb' })
  content!: Partial<Record<'az' | 'en' | 'ru', LocalizedContent>>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
