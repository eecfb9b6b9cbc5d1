import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Translations } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';

export const CEREMONY_STATUSES = ['draft', 'published'] as const;
export type CeremonyStatus = (typeof CEREMONY_STATUSES)[number];

/**
 * One edition of the commemoration per year. `date` and `startTime` are wall-clock values in
 * `timeZone`; instants (the start, reminder due times) are always derived from them, never stored.
 */
@Entity('ceremonies')
@Check('ceremonies_translations_check', `jsonb_typeof("translations") = 'object'`)
@Check('ceremonies_status_check', `"status" IN ('draft', 'published')`)
@Check('ceremonies_year_check', `"year" BETWEEN 1992 AND 2200`)
@Check('ceremonies_date_in_year_check', `EXTRACT(YEAR FROM "date") = "year"`)
export class Ceremony {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ceremonies_year_key', { unique: true })
  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  /** Calendar date, YYYY-MM-DD. */
  @Column({ type: 'date' })
  date!: string;

  /** Local start time, HH:mm. */
  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime!: string;

  /** IANA time zone, e.g. Asia/Baku. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone!: string;

  @Column({ name: 'venue_name', type: 'varchar', length: 300 })
  venueName!: string;

  @Column({ name: 'venue_address', type: 'varchar', length: 500 })
  venueAddress!: string;

  @Column({ name: 'venue_lat', type: 'double precision', nullable: true })
  venueLat!: number | null;

  @Column({ name: 'venue_lng', type: 'double precision', nullable: true })
  venueLng!: number | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Languages the edition is offered in; the first is the default for mail. */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{az,en,ru}'" })
  locales!: Locale[];

  /** Per-language texts by field path (`title`, `venue.name`); a field without an entry reads as its plain column in every language. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  translations!: Translations;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: CeremonyStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
