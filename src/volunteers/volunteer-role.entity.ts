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
import { Ceremony } from '../ceremonies/ceremony.entity';

/**
 * A volunteer role of one edition (greeter, carnations, interpreter, first aid...). The shift is
 * wall-clock HH:mm on the edition's date in its time zone, so moving the edition needs no rewrite.
 * `filled` counts the volunteers holding a place; it only moves through conditional UPDATEs,
 * and the CHECK is the backstop that makes overfilling impossible.
 */
@Entity('volunteer_roles')
@Check('volunteer_roles_translations_check', `jsonb_typeof("translations") = 'object'`)
@Index('volunteer_roles_ceremony_name_key', ['ceremonyId', 'name'], { unique: true })
@Check('volunteer_roles_capacity_check', `"capacity" >= 1`)
@Check('volunteer_roles_filled_check', `"filled" >= 0 AND "filled" <= "capacity"`)
@Check(
  'volunteer_roles_shift_check',
  `"shift_start" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "shift_end" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "shift_end" > "shift_start"`,
)
export class VolunteerRole {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ceremony_id', type: 'uuid' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'volunteer_roles_ceremony_fk' })
  ceremony?: Ceremony;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'int', default: 0 })
  filled!: number;

  /** Local HH:mm on the edition's date. */
  @Column({ name: 'shift_start', type: 'varchar', length: 5 })
  shiftStart!: string;

  /** Local HH:mm on the edition's date, after shiftStart. */
  @Column({ name: 'shift_end', type: 'varchar', length: 5 })
  shiftEnd!: string;

  /** Languages the role asks for (az, en, ru...); informative, not enforced at sign-up. */
  @Column({ name: 'required_languages', type: 'varchar', length: 2, array: true, default: () => "'{}'" })
  requiredLanguages!: string[];

  /** Per-language texts by field path (`title`, `venue.name`); a field without an entry reads as its plain column in every language. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  translations!: Translations;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
