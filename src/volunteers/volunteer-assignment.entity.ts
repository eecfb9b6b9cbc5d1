import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VolunteerRole } from './volunteer-role.entity';
import { Volunteer } from './volunteer.entity';

export const ASSIGNMENT_STATES = ['requested', 'assigned', 'waitlisted'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

/**
 * A volunteer's relation to one role: `requested` while the sign-up is unconfirmed (counts
 * nowhere), then `assigned` (holds one of the role's places) or `waitlisted` (queued by
 * `waitlist_position`, taken from volunteer_queue_seq).
 */
@Entity('volunteer_assignments')
@Index('volunteer_assignments_waitlist_idx', ['roleId', 'waitlistPosition'], { where: `"state" = 'waitlisted'` })
@Check('volunteer_assignments_state_check', `"state" IN ('requested', 'assigned', 'waitlisted')`)
@Check('volunteer_assignments_waitlist_check', `("state" = 'waitlisted') = ("waitlist_position" IS NOT NULL)`)
export class VolunteerAssignment {
  @PrimaryColumn({ name: 'volunteer_id', type: 'uuid', primaryKeyConstraintName: 'volunteer_assignments_pkey' })
  volunteerId!: string;

  @Index('volunteer_assignments_role_idx')
  @PrimaryColumn({ name: 'role_id', type: 'uuid', primaryKeyConstraintName: 'volunteer_assignments_pkey' })
  roleId!: string;

  @ManyToOne(() => Volunteer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'volunteer_id', foreignKeyConstraintName: 'volunteer_assignments_volunteer_fk' })
  volunteer?: Volunteer;

  @ManyToOne(() => VolunteerRole, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id', foreignKeyConstraintName: 'volunteer_assignments_role_fk' })
  role?: VolunteerRole;

  @Column({ type: 'varchar', length: 20 })
  state!: AssignmentState;

  @Column({ name: 'waitlist_position', type: 'bigint', nullable: true })
  waitlistPosition!: string | null;

  /** When the place was taken (assigned only). */
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
