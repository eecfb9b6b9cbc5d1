import { Inject, Injectable } from '@nestjs/common';
import type { HttpException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { Clock } from '../common/clock';
import { badRequest } from '../common/errors/refusal';
import { resolveField } from '../common/localized-text';
import { appConfig, AppConfig } from '../config/app.config';
import { LOCALES, type Locale } from '../config/commemoration.config';
import type { OutgoingMail } from '../mail/mail.types';
import type { VolunteerView } from './dto/volunteer.dto';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import type { VolunteerRole } from './volunteer-role.entity';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { describeClash, findShiftClash } from './volunteer-shifts';
import { RoleNameReader, shiftsOf, toView } from './volunteer-views';
import type { Volunteer } from './volunteer.entity';
import { AssignmentRow, PromotedVolunteer, VolunteersRepository } from './volunteers.repository';

/** The roles asked for, or why they cannot be had (the 400 a route answers; a background decision records it). */
export type RoleCheck<R = VolunteerRole> = { roles: R[]; refusal: null } | { roles: null; refusal: HttpException };

/** What the check of a role choice reads of each role. */
export type RoleShape = Pick<VolunteerRole, 'id' | 'ceremonyId' | 'name' | 'shiftStart' | 'shiftEnd'>;

/**
 * The rule of `checkRoles` over roles already read (those of `roleIds` that exist): all must be
 * roles of that edition, and their shifts must not overlap.
 */
export function checkRoleChoice<R extends RoleShape>(
  ceremonyId: string,
  roleIds: readonly string[],
  roles: R[],
): RoleCheck<R> {
  const unknown = roleIds.filter(
    (roleId) => !roles.some((role) => role.id === roleId && role.ceremonyId === ceremonyId),
  );
  if (unknown.length > 0) {
    const english = `roleIds must be roles of this edition; unknown: ${unknown.join(', ')}`;
    const entries = roleIds.flatMap((roleId, index) =>
      unknown.includes(roleId)
        ? [{ field: `roleIds[${index}]`, code: 'unknown_role' as const, english: 'is not a role of this edition' }]
        : [],
    );
    return { roles: null, refusal: badRequest([english], entries) };
  }
  const clash = findShiftClash(roles);
  if (clash) {
    // Both roles are named, each at its place in the list, so a form can mark the pair.
    const [first, second] = clash;
    const params = { first: first.name, second: second.name };
    const english = describeClash(clash);
    const refusal = badRequest(
      [`roleIds: ${english}`],
      [first, second].map((role) => ({
        field: `roleIds[${roleIds.indexOf(role.id)}]`,
        code: 'roles_overlap' as const,
        english,
        params,
      })),
    );
    return { roles: null, refusal };
  }
  return { roles, refusal: null };
}

/**
 * The rules that sign-up, self-service and the staff roster share: which roles may be asked for,
 * how a confirmed volunteer's roles change, how a pending sign-up becomes confirmed, and how a
 * volunteer is shown. Every method runs in the caller's transaction when given its manager.
 */
@Injectable()
export class VolunteerEnrolment {
  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly roles: VolunteerRolesRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly placement: VolunteerPlacement,
    private readonly mailer: VolunteerMailer,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Roles must all exist in that edition, and their shifts must not overlap. */
  async checkRoles(ceremonyId: string, roleIds: readonly string[], manager?: EntityManager): Promise<RoleCheck> {
    return checkRoleChoice(ceremonyId, roleIds, await this.roles.findByIds(roleIds, manager));
  }

  /** As `checkRoles`, for a route: the refusal is its 400. */
  async rolesOfEdition(
    ceremonyId: string,
    roleIds: readonly string[],
    manager?: EntityManager,
  ): Promise<VolunteerRole[]> {
    const check = await this.checkRoles(ceremonyId, roleIds, manager);
    if (check.refusal) throw check.refusal;
    return check.roles;
  }

  /**
   * The confirmed volunteer's roles become `roles`: roles left free their places (promoting the
   * waitlist), roles joined take a place, or are waitlisted ('waitlist', self-service) or refused
   * with 409 ('refuse', staff). All touched roles are locked first, in id order.
   */
  async changeRoles(
    volunteer: Volunteer,
    roles: readonly VolunteerRole[],
    current: readonly AssignmentRow[],
    manager: EntityManager,
    whenFull: 'waitlist' | 'refuse',
    reader: RoleNameReader = { lang: [], locales: [] },
  ): Promise<PromotedVolunteer[]> {
    const wanted = new Set(roles.map((role) => role.id));
    await this.roles.lockByIds([...new Set([...current.map((row) => row.roleId), ...wanted])], manager);
    const now = this.clock.now();
    const leaving = current.filter((row) => !wanted.has(row.roleId));
    const promoted = await this.placement.leave(volunteer.id, leaving, now, manager);
    if (whenFull === 'refuse') {
      // Fresh counters: the locks are held now.
      const locked = await this.roles.findByIds([...wanted], manager);
      // The refusal names the full role in the reader's language.
      await this.placement.placeOrRefuse(volunteer.id, locked, current, now, manager, (role) =>
        resolveField(role.name, role.translations, 'name', reader.lang, reader.locales),
      );
    } else {
      const joining = roles.filter((role) => !current.some((row) => row.roleId === role.id));
      const locked = await this.roles.findByIds(
        joining.map((role) => role.id),
        manager,
      );
      await this.placement.placeOrWaitlist(volunteer.id, locked, now, manager);
    }
    return promoted;
  }

  /** The requested roles become places or waitlist entries, in confirmation order (locks first). */
  async confirmPending(
    volunteer: Volunteer,
    ceremony: Ceremony,
    token: string,
    manager: EntityManager,
  ): Promise<OutgoingMail | null> {
    const requested = await this.volunteers.assignments([volunteer.id], manager);
    const roles = await this.roles.lockByIds(
      requested.map((row) => row.roleId),
      manager,
    );
    const now = this.clock.now();
    const confirmationSeq = await this.volunteers.nextQueueNumber(manager);
    const { assigned, waitlisted } = await this.placement.placeOrWaitlist(volunteer.id, roles, now, manager);
    await this.volunteers.update(
      volunteer.id,
      { status: 'confirmed', confirmedAt: now, confirmationSeq, expiresAt: null },
      manager,
    );
    await this.volunteers.deleteSignupRequests(volunteer.id, manager);
    const kind = assigned.length === 0 && waitlisted.length > 0 ? 'waitlisted' : 'confirmed';
    return this.mailer.compose(
      kind,
      volunteer,
      ceremony,
      { assigned: shiftsOf(assigned), waitlisted: shiftsOf(waitlisted) },
      { link: this.manageUrl(token) },
    );
  }

  manageUrl(token: string): string {
    return `${this.app.publicBaseUrl}/p/volunteer/me?token=${token}`;
  }

  async viewOf(id: string, manager: EntityManager | undefined, reader: RoleNameReader): Promise<VolunteerView> {
    const volunteer = (await this.volunteers.findById(id, manager)) as Volunteer;
    return toView(volunteer, await this.volunteers.assignments([id], manager), reader);
  }

  /** A volunteer reading their own sign-up: their languages, then the one they signed up in. */
  async readerOf(volunteer: Volunteer, lang: readonly Locale[], manager?: EntityManager): Promise<RoleNameReader> {
    const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
    const own = LOCALES.find((locale) => locale === volunteer.locale);
    return { lang: own ? [...lang, own] : lang, locales: ceremony.locales };
  }
}
