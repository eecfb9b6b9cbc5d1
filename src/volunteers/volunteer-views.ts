import type { Translations } from '../common/localized-text';
import { resolveField } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import type { VolunteerView } from './dto/volunteer.dto';
import type { Volunteer } from './volunteer.entity';
import type { AssignmentRow } from './volunteers.repository';

/** One reply for every token that does not open a sign-up (unknown, malformed, expired, withdrawn). */
export const TOKEN_MISS = 'No volunteer sign-up matches this link; it may have expired or been withdrawn';

/** Who reads a view: their languages, best first, and the edition's, along which role names fall back. */
export interface RoleNameReader {
  lang: readonly Locale[];
  locales: readonly Locale[];
}

export function toView(
  volunteer: Volunteer,
  assignments: readonly AssignmentRow[],
  reader: RoleNameReader,
): VolunteerView {
  return {
    id: volunteer.id,
    ceremonyId: volunteer.ceremonyId,
    status: volunteer.status,
    name: volunteer.name,
    email: volunteer.email,
    phone: volunteer.phone,
    languages: volunteer.languages,
    note: volunteer.note,
    locale: volunteer.locale,
    consentReminders: volunteer.consentReminders,
    roles: assignments
      .filter((row) => row.volunteerId === volunteer.id)
      .map((row) => ({
        roleId: row.roleId,
        name: resolveField(row.roleName, row.roleTranslations, 'name', reader.lang, reader.locales),
        shiftStart: row.shiftStart,
        shiftEnd: row.shiftEnd,
        state: row.state,
        waitlistRank: row.waitlistRank,
      })),
    createdAt: volunteer.createdAt,
    confirmedAt: volunteer.confirmedAt,
  };
}

/** What the audit log keeps about a volunteer: state and roles, never personal data (erasure must not leave any behind). */
export function auditSnapshot(volunteer: Volunteer, assignments: readonly AssignmentRow[]): object {
  return { status: volunteer.status, roles: assignments.map((row) => ({ roleId: row.roleId, state: row.state })) };
}

// Role rows carry their per-language names; the mailer picks the recipient's.
export const shiftsOf = (
  rows: readonly {
    roleName?: string;
    name?: string;
    shiftStart: string;
    shiftEnd: string;
    translations?: Translations;
  }[],
) =>
  rows.map((row) => ({
    name: row.roleName ?? row.name ?? '',
    shiftStart: row.shiftStart,
    shiftEnd: row.shiftEnd,
    translations: row.translations,
  }));
