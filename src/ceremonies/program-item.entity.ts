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
import type { Translations } from '../common/localized-text';
import { Ceremony } from './ceremony.entity';

/**
 * One entry of an edition's program. Times are wall-clock HH:mm in the edition's time zone, so
 * they stay right when the edition's date moves or the program is copied to next year.
 */
@Entity('program_items')
@Check('program_items_translations_check', `jsonb_typeof("translations") = 'object'`)
@Index('program_items_ceremony_order_idx', ['ceremonyId', 'startTime'])
@Check('program_items_end_after_start_check', `"end_time" IS NULL OR "end_time" > "start_time"`)
export class ProgramItem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ceremony_id', type: 'uuid' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'program_items_ceremony_fkey' })
  ceremony?: Ceremony;

  /** Local start time, HH:mm. */
  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime!: string;

  /** Local end time, HH:mm, later than the start on the same day. */
  @Column({ name: 'end_time', type: 'varchar', length: 5, nullable: true })
  endTime!: string | null;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  speaker!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Per-language texts by field path (`title`, `venue.name`); a field without an entry reads as its plain column in every language. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  translations!: Translations;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
