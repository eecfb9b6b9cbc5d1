import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import type { Translations } from '../common/localized-text';
import type { VolunteerRole } from './volunteer-role.entity';
import { AssignmentState } from './volunteer-assignment.entity';
import { VolunteerSignupRequest } from './volunteer-signup-request.entity';
import { Volunteer, VolunteerStatus } from './volunteer.entity';

export type VolunteerDetails = Pick<Volunteer, 'name' | 'phone' | 'languages' | 'note' | 'locale' | 'consentReminders'>;

/** A volunteer's relation to a role, with what people need to read about the role. */
export interface AssignmentRow {
  volunteerId: string;
  roleId: string;
  /** The role's plain name (the edition's first language); `roleTranslations` has the others. */
  roleName: string;
  roleTranslations: Translations;
  shiftStart: string;
  shiftEnd: string;
  state: AssignmentState;
  waitlistPosition: string | null;
  /** 1 = next in line for that role. */
  waitlistRank: number | null;
}

/** The edition as a sign-up's mail speaks of it. */
export type SignUpEdition = Pick<Ceremony, 'id' | 'title' | 'date' | 'timeZone' | 'locales' | 'translations'>;

/** The roles of a sign-up as its check and its mail read them. */
export type SignUpRole = Pick<VolunteerRole, 'id' | 'ceremonyId' | 'name' | 'shiftStart' | 'shiftEnd' | 'translations'>;

/** A role as JSON in the shape of `SignUpRole` (the alias `r` is volunteer_roles). */
const SIGN_UP_ROLE_JSON = `json_build_object('id', r.id, 'ceremonyId', r.ceremony_id, 'name', r.name,
  'shiftStart', r.shift_start, 'shiftEnd', r.shift_end, 'translations', r.translations)`;

export interface PromotedVolunteer {
  volunteerId: string;
  roleId: string;
}

export interface RosterFilter {
  status?: VolunteerStatus;
  roleId?: string;
}

const ASSIGNMENT_COLUMNS = `
  a.volunteer_id AS "volunteerId", a.role_id AS "roleId", r.name AS "roleName", r.translations AS "roleTranslations", r.shift_start AS "shiftStart", r.shift_end AS "shiftEnd",
  a.state, a.waitlist_position AS "waitlistPosition",
  CASE WHEN a.state = 'waitlisted' THEN (
    SELECT count(*)::int FROM volunteer_assignments w WHERE w.role_id = a.role_id AND w.state = 'waitlisted' AND w.waitlist_position <= a.waitlist_position
  ) END AS "waitlistRank"`;

@Injectable()
export class VolunteersRepository {
  constructor(@InjectRepository(Volunteer) private readonly volunteers: Repository<Volunteer>) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.volunteers.manager;
  }

  /**
   * Inserts a pending volunteer unless the address already signed up for that edition (any case):
   * the unique index decides, so two simultaneous sign-ups make one volunteer. Null when it existed.
   */
  async insertPendingIfNew(
    values: VolunteerDetails & { ceremonyId: string; email: string; tokenHash: string; expiresAt: Date },
    manager: EntityManager,
  ): Promise<string | null> {
    const rows = (await manager.query(
      `INSERT INTO volunteers (ceremony_id, status, name, email, phone, languages, note, locale, consent_reminders, token_hash, expires_at)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (ceremony_id, lower(email)) DO NOTHING
       RETURNING id`,
      [
        values.ceremonyId,
        values.name,
        values.email,
        values.phone,
        values.languages,
        values.note,
        values.locale,
        values.consentReminders,
        values.tokenHash,
        values.expiresAt,
      ],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  /**
   * What a sign-up is checked against, in one statement: the edition if it is published (null
   * otherwise), and those of the roles asked for that exist, of any edition (`checkRoleChoice`
   * names the others). The answer and the job that decides it both read it.
   */
  async findSignUpChoice(
    ceremonyId: string,
    roleIds: readonly string[],
  ): Promise<{ edition: SignUpEdition | null; roles: SignUpRole[] }> {
    const [row] = (await this.volunteers.manager.query(
      `SELECT (SELECT to_jsonb(e) FROM (
                 SELECT id, title, date::text AS date, time_zone AS "timeZone", locales, translations
                   FROM ceremonies WHERE id = $1 AND status = 'published') e) AS edition,
              (SELECT coalesce(json_agg(${SIGN_UP_ROLE_JSON} ORDER BY r.id), '[]'::json)
                 FROM volunteer_roles r WHERE r.id = ANY($2::uuid[])) AS roles`,
      [ceremonyId, roleIds],
    )) as Array<{ edition: SignUpEdition | null; roles: SignUpRole[] }>;
    return row;
  }

  /**
   * A new pending volunteer with its requested roles, in one statement (atomic without a
   * transaction); null when the address already signed up for that edition (any case: the unique
   * index decides), and then nothing is written.
   */
  async insertPendingWithRoles(
    values: VolunteerDetails & {
      ceremonyId: string;
      roleIds: readonly string[];
      email: string;
      tokenHash: string;
      expiresAt: Date;
    },
  ): Promise<string | null> {
    const rows = (await this.volunteers.manager.query(
      `WITH inserted AS (
         INSERT INTO volunteers (ceremony_id, status, name, email, phone, languages, note, locale, consent_reminders, token_hash, expires_at)
         VALUES ($1, 'pending', $3::varchar, $4::varchar, $5::varchar, $6::varchar[], $7::text, $8::varchar, $9::boolean, $10::varchar, $11::timestamptz)
         ON CONFLICT (ceremony_id, lower(email)) DO NOTHING
         RETURNING id
       ), requested AS (
         -- A new volunteer only: its roles count nowhere until confirmed.
         INSERT INTO volunteer_assignments (volunteer_id, role_id, state)
         SELECT i.id, role_id, 'requested' FROM inserted i CROSS JOIN unnest($2::uuid[]) AS role_id
       )
       SELECT id FROM inserted`,
      [
        values.ceremonyId,
        values.roleIds,
        values.name,
        values.email,
        values.phone,
        values.languages,
        values.note,
        values.locale,
        values.consentReminders,
        values.tokenHash,
        values.expiresAt,
      ],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  /** Whether a re-sign-up with this token's hash is already kept (its decision was made, its mail maybe not sent). */
  async hasSignupRequest(tokenHash: string, manager: EntityManager): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM volunteer_signup_requests WHERE token_hash = $1`, [
      tokenHash,
    ])) as unknown[];
    return rows.length > 0;
  }

  findByEmailForUpdate(ceremonyId: string, email: string, manager: EntityManager): Promise<Volunteer | null> {
    return manager
      .getRepository(Volunteer)
      .createQueryBuilder('v')
      .where('v.ceremony_id = :ceremonyId AND lower(v.email) = lower(:email)', { ceremonyId, email })
      .setLock('pessimistic_write')
      .getOne();
  }

  /**
   * The volunteer of a token if the token still opens it: confirmed, or pending and not expired at
   * `now`. An expired sign-up is no row, exactly like an unknown token, so the time of the 404 does
   * not tell that it exists (reading, or locking, a found row took measurably longer).
   */
  findLiveByTokenHash(tokenHash: string, now: Date, manager?: EntityManager): Promise<Volunteer | null> {
    return this.liveByTokenHash(this.manager(manager), tokenHash, now).getOne();
  }

  /** As findLiveByTokenHash, locked: every change to one volunteer starts here, so changes to the same person run one after another. */
  lockLiveByTokenHash(tokenHash: string, now: Date, manager: EntityManager): Promise<Volunteer | null> {
    return this.liveByTokenHash(manager, tokenHash, now).setLock('pessimistic_write').getOne();
  }

  private liveByTokenHash(manager: EntityManager, tokenHash: string, now: Date) {
    return manager
      .getRepository(Volunteer)
      .createQueryBuilder('v')
      .where('v.token_hash = :tokenHash', { tokenHash })
      .andWhere(`(v.status = 'confirmed' OR (v.status = 'pending' AND v.expires_at > :now))`, { now });
  }

  /** Keeps a re-sign-up's sealed details with the hash of the token mailed for them; the volunteer itself is not touched. */
  async addSignupRequest(
    values: { volunteerId: string; tokenHash: string; sealed: Buffer; expiresAt: Date },
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(VolunteerSignupRequest).insert(values);
  }

  /** The waiting re-sign-up of a token, unless it expired at `now`. */
  findLiveSignupRequest(tokenHash: string, now: Date, manager: EntityManager): Promise<VolunteerSignupRequest | null> {
    return manager
      .getRepository(VolunteerSignupRequest)
      .createQueryBuilder('r')
      .where('r.token_hash = :tokenHash AND r.expires_at > :now', { tokenHash, now })
      .getOne();
  }

  /** Once a volunteer is confirmed or erased, no waiting re-sign-up may change them. */
  async deleteSignupRequests(volunteerId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM volunteer_signup_requests WHERE volunteer_id = $1`, [volunteerId]);
  }

  lockById(id: string, manager: EntityManager): Promise<Volunteer | null> {
    return manager
      .getRepository(Volunteer)
      .createQueryBuilder('v')
      .where('v.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  findById(id: string, manager?: EntityManager): Promise<Volunteer | null> {
    return this.manager(manager).getRepository(Volunteer).findOneBy({ id });
  }

  async findByIds(ids: readonly string[], manager?: EntityManager): Promise<Volunteer[]> {
    if (ids.length === 0) return [];
    return this.manager(manager)
      .getRepository(Volunteer)
      .createQueryBuilder('v')
      .where('v.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  async update(
    id: string,
    changes: Partial<Omit<Volunteer, 'id' | 'ceremonyId' | 'createdAt' | 'updatedAt' | 'ceremony'>>,
    manager: EntityManager,
  ): Promise<void> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length > 0) await manager.getRepository(Volunteer).update({ id }, defined);
  }

  /** A number from the one queue sequence: confirmations and waitlist places are ordered by it. */
  async nextQueueNumber(manager: EntityManager): Promise<string> {
    const [row] = (await manager.query(`SELECT nextval('volunteer_queue_seq')::text AS value`)) as Array<{
      value: string;
    }>;
    return row.value;
  }

  async assignments(volunteerIds: readonly string[], manager?: EntityManager): Promise<AssignmentRow[]> {
    if (volunteerIds.length === 0) return [];
    return (await this.manager(manager).query(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM volunteer_assignments a JOIN volunteer_roles r ON r.id = a.role_id
       WHERE a.volunteer_id = ANY($1::uuid[]) ORDER BY r.shift_start, r.name, r.id`,
      [volunteerIds],
    )) as AssignmentRow[];
  }

  /** Records the roles chosen at sign-up, which count nowhere until confirmed. */
  async requestRoles(volunteerId: string, roleIds: readonly string[], manager: EntityManager): Promise<void> {
    if (roleIds.length === 0) return;
    // A retried write adds nothing: the pair is the primary key.
    await manager.query(
      `INSERT INTO volunteer_assignments (volunteer_id, role_id, state) SELECT $1, role_id, 'requested' FROM unnest($2::uuid[]) AS role_id
       ON CONFLICT (volunteer_id, role_id) DO NOTHING`,
      [volunteerId, roleIds],
    );
  }

  /** Marks a place taken (the caller has taken it on the role's counter in the same transaction). */
  async markAssigned(volunteerId: string, roleId: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO volunteer_assignments (volunteer_id, role_id, state, assigned_at) VALUES ($1, $2, 'assigned', $3)
       ON CONFLICT (volunteer_id, role_id) DO UPDATE SET state = 'assigned', waitlist_position = NULL, assigned_at = EXCLUDED.assigned_at`,
      [volunteerId, roleId, now],
    );
  }

  /** Puts the volunteer at the end of the role's waitlist (the caller holds the role's lock). */
  async markWaitlisted(volunteerId: string, roleId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO volunteer_assignments (volunteer_id, role_id, state, waitlist_position) VALUES ($1, $2, 'waitlisted', nextval('volunteer_queue_seq'))
       ON CONFLICT (volunteer_id, role_id) DO UPDATE SET state = 'waitlisted', waitlist_position = EXCLUDED.waitlist_position, assigned_at = NULL`,
      [volunteerId, roleId],
    );
  }

  async removeAssignments(volunteerId: string, roleIds: readonly string[], manager: EntityManager): Promise<void> {
    if (roleIds.length === 0) return;
    await manager.query(`DELETE FROM volunteer_assignments WHERE volunteer_id = $1 AND role_id = ANY($2::uuid[])`, [
      volunteerId,
      roleIds,
    ]);
  }

  /**
   * Gives the role's free places to the earliest waitlisted volunteers whose assigned shifts do
   * not overlap this one, and counts them on the role, in one statement. The caller holds the
   * role's lock, so the free places read here are exact; the CHECK on filled is the backstop.
   */
  async promoteWaitlist(roleId: string, now: Date, manager: EntityManager): Promise<PromotedVolunteer[]> {
    const [rows] = (await manager.query(
      `WITH target AS (
         SELECT id, shift_start, shift_end, capacity - filled AS free FROM volunteer_roles WHERE id = $1
       ), candidates AS (
         SELECT a.volunteer_id FROM volunteer_assignments a, target t
         WHERE a.role_id = t.id AND a.state = 'waitlisted'
           AND NOT EXISTS (
             SELECT 1 FROM volunteer_assignments other JOIN volunteer_roles other_role ON other_role.id = other.role_id
             WHERE other.volunteer_id = a.volunteer_id AND other.state = 'assigned' AND other.role_id <> t.id
               AND other_role.shift_start < t.shift_end AND t.shift_start < other_role.shift_end)
         ORDER BY a.waitlist_position
         LIMIT (SELECT greatest(free, 0) FROM target)
       ), promoted AS (
         UPDATE volunteer_assignments a SET state = 'assigned', waitlist_position = NULL, assigned_at = $2
         FROM candidates c WHERE a.volunteer_id = c.volunteer_id AND a.role_id = $1
         RETURNING a.volunteer_id
       )
       UPDATE volunteer_roles SET filled = filled + (SELECT count(*) FROM promoted), updated_at = now()
       WHERE id = $1 AND (SELECT count(*) FROM promoted) > 0
       RETURNING (SELECT coalesce(json_agg(volunteer_id), '[]'::json) FROM promoted) AS promoted`,
      [roleId, now],
    )) as [Array<{ promoted: string[] }>, number];
    return (rows[0]?.promoted ?? []).map((volunteerId) => ({ volunteerId, roleId }));
  }

  async roster(
    ceremonyId: string,
    filter: RosterFilter,
    page: { limit: number; offset: number } | null,
  ): Promise<[Volunteer[], number]> {
    const query = this.volunteers.createQueryBuilder('v').where('v.ceremony_id = :ceremonyId', { ceremonyId });
    if (filter.status) query.andWhere('v.status = :status', { status: filter.status });
    if (filter.roleId)
      query.andWhere(
        'EXISTS (SELECT 1 FROM volunteer_assignments a WHERE a.volunteer_id = v.id AND a.role_id = :roleId)',
        { roleId: filter.roleId },
      );
    query.orderBy('v.created_at', 'ASC').addOrderBy('v.id', 'ASC');
    if (page) query.take(page.limit).skip(page.offset);
    return query.getManyAndCount();
  }

  /** Everything the volunteers tables hold about one volunteer, column by column (the audit log adds its own). */
  async exportRecord(volunteerId: string): Promise<{
    volunteer: Record<string, unknown>;
    assignments: Record<string, unknown>[];
  }> {
    const manager = this.volunteers.manager;
    const [volunteer] = (await manager.query(`SELECT to_jsonb(v) AS record FROM volunteers v WHERE v.id = $1`, [
      volunteerId,
    ])) as Array<{ record: Record<string, unknown> }>;
    const assignments = (await manager.query(
      `SELECT to_jsonb(a) || jsonb_build_object('role_name', r.name, 'role_shift_start', r.shift_start, 'role_shift_end', r.shift_end) AS record
       FROM volunteer_assignments a JOIN volunteer_roles r ON r.id = a.role_id WHERE a.volunteer_id = $1 ORDER BY r.shift_start, r.name`,
      [volunteerId],
    )) as Array<{ record: Record<string, unknown> }>;
    return {
      volunteer: volunteer.record,
      assignments: assignments.map((row) => row.record),
    };
  }

  /** Keeps an anonymous row (edition, dates, status) and nulls every personal column. */
  async erase(id: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM volunteer_assignments WHERE volunteer_id = $1`, [id]);
    await this.deleteSignupRequests(id, manager);
    await manager.query(
      `UPDATE volunteers SET status = 'withdrawn', name = NULL, email = NULL, phone = NULL, languages = NULL, note = NULL, locale = NULL,
         consent_reminders = false, token_hash = NULL, confirmation_resent_at = NULL, expires_at = NULL, withdrawn_at = $2, updated_at = now()
       WHERE id = $1`,
      [id, now],
    );
  }

  /**
   * Unconfirmed sign-ups past their expiry (their requested roles go with them), and re-sign-ups
   * past theirs. A pending volunteer stays while a later link mailed for it still works.
   */
  async purgeExpiredPending(now: Date): Promise<number> {
    return this.volunteers.manager.transaction(async (manager) => {
      await manager.query(`DELETE FROM volunteer_signup_requests WHERE expires_at <= $1`, [now]);
      const [, deleted] = (await manager.query(
        `DELETE FROM volunteers v WHERE v.status = 'pending' AND v.expires_at <= $1
           AND NOT EXISTS (SELECT 1 FROM volunteer_signup_requests r WHERE r.volunteer_id = v.id)`,
        [now],
      )) as [unknown, number];
      return deleted;
    });
  }
}
