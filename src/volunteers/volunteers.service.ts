import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { JobHandler, Tick } from '../jobs/job-handler.decorator';
import { badRequest, conflict } from '../common/errors/refusal';
import { MetricsService } from '../metrics/metrics.service';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { Clock } from '../common/clock';
import { CsvColumn, instantColumns, toCsv, zonedInstant } from '../common/csv';
import { localToInstant } from '../ceremonies/ceremony-time';
import { Page } from '../common/pagination';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { MailingsService } from '../mailings/mailings.service';
import { TransactionService } from '../database/transaction.service';
import type { OutgoingMail } from '../mail/mail.types';
import { staffTriggered } from '../mail/mail-queue.service';
import {
  ConfirmedVolunteerView,
  OrganizerUpdateVolunteerDto,
  RosterQueryDto,
  SignUpAcceptedView,
  SignUpVolunteerDto,
  UpdateOwnVolunteeringDto,
  VolunteerExportView,
  VolunteerView,
} from './dto/volunteer.dto';
import { resolveField, type Translations } from '../common/localized-text';
import { LOCALES, type Locale } from '../config/commemoration.config';
import { SIGN_UP_REQUEST, VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import type { VolunteerRole } from './volunteer-role.entity';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { describeClash, findShiftClash } from './volunteer-shifts';
import type { Volunteer } from './volunteer.entity';
import { AssignmentRow, PromotedVolunteer, VolunteersRepository } from './volunteers.repository';

/** One reply for every sign-up, new address or known, so the endpoint tells nobody who is registered. */
export const SIGN_UP_ACCEPTED: SignUpAcceptedView = {
  status: 'accepted',
  message:
    'Thank you. If this address can receive mail, a message with a confirmation link is on its way; nothing is reserved until you confirm.',
};

/** One reply for every token that does not open a sign-up (unknown, malformed, expired, withdrawn). */
export const TOKEN_MISS = 'No volunteer sign-up matches this link; it may have expired or been withdrawn';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Who reads a view: their languages, best first, and the edition's, along which role names fall back. */
interface RoleNameReader {
  lang: readonly Locale[];
  locales: readonly Locale[];
}

function toView(volunteer: Volunteer, assignments: readonly AssignmentRow[], reader: RoleNameReader): VolunteerView {
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
function auditSnapshot(volunteer: Volunteer, assignments: readonly AssignmentRow[]): object {
  return { status: volunteer.status, roles: assignments.map((row) => ({ roleId: row.roleId, state: row.state })) };
}

// Role rows carry their per-language names; the mailer picks the recipient's.
const shiftsOf = (
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

/** The roster's columns; times in the edition's zone with the offset, each beside its UTC instant. */
function rosterColumns(edition: Ceremony): CsvColumn<VolunteerView>[] {
  const zone = edition.timeZone;
  const assigned = (row: VolunteerView) => row.roles.filter((role) => role.state === 'assigned');
  const shifts = (row: VolunteerView, write: (instant: Date) => string | null) =>
    assigned(row)
      .map((role) =>
        [role.shiftStart, role.shiftEnd].map((time) => write(localToInstant(edition.date, time, zone))).join('/'),
      )
      .join('; ');
  return [
    { header: 'id', value: (row) => row.id },
    { header: 'status', value: (row) => row.status },
    { header: 'name', value: (row) => row.name },
    { header: 'email', value: (row) => row.email },
    { header: 'phone', value: (row) => row.phone },
    { header: 'languages', value: (row) => row.languages?.join(' ') },
    { header: 'locale', value: (row) => row.locale },
    { header: 'consent_reminders', value: (row) => row.consentReminders },
    {
      header: 'assigned_roles',
      value: (row) =>
        assigned(row)
          .map((role) => `${role.name} ${role.shiftStart}-${role.shiftEnd}`)
          .join('; '),
    },
    { header: 'assigned_shifts', value: (row) => shifts(row, (instant) => zonedInstant(instant, zone)) },
    { header: 'assigned_shifts_utc', value: (row) => shifts(row, (instant) => instant.toISOString()) },
    {
      header: 'waitlisted_roles',
      value: (row) =>
        row.roles
          .filter((role) => role.state === 'waitlisted')
          .map((role) => `${role.name} (#${role.waitlistRank})`)
          .join('; '),
    },
    {
      header: 'requested_roles',
      value: (row) =>
        row.roles
          .filter((role) => role.state === 'requested')
          .map((role) => role.name)
          .join('; '),
    },
    { header: 'note', value: (row) => row.note },
    ...instantColumns<VolunteerView>('created_at', (row) => row.createdAt, zone),
    ...instantColumns<VolunteerView>('confirmed_at', (row) => row.confirmedAt, zone),
  ];
}

/** A volunteer sign-up as the answer wrote it, decided after the answer, as a job (VolunteersService.decide). */
export interface SignUpRequest {
  ceremonyId: string;
  roleIds: string[];
  email: string;
  name: string;
  phone: string | null;
  languages: string[] | null;
  note: string | null;
  locale: string | null;
  consentReminders: boolean;
  /** ISO time of the request: the resend window and the expiry count from it. */
  requestedAt: string;
}

/** What a re-sign-up asks for, kept sealed with its own link until the owner of the address confirms it. */
type RequestedDetails = Pick<
  SignUpRequest,
  'name' | 'phone' | 'languages' | 'note' | 'locale' | 'consentReminders' | 'roleIds'
>;

@Injectable()
export class VolunteersService {
  private readonly logger = new Logger(VolunteersService.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly volunteers: VolunteersRepository,
    private readonly roles: VolunteerRolesRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly placement: VolunteerPlacement,
    private readonly mailer: VolunteerMailer,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly mailings: MailingsService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  // ---- public sign-up and confirmation -------------------------------------------------------

  /**
   * Checks the edition and the roles (neither depends on the address), then writes the sign-up as
   * one sealed outbox row and answers; the processor decides it (`decide`). So the reply and its
   * time are the same whether the address is new, pending or confirmed.
   */
  async signUp(dto: SignUpVolunteerDto): Promise<SignUpAcceptedView> {
    const ceremony = await this.ceremonies.findVisibleById(dto.ceremonyId, false);
    if (!ceremony) throw new NotFoundException('Edition not found');
    await this.rolesOfEdition(ceremony.id, dto.roleIds);
    const request: SignUpRequest = {
      ceremonyId: ceremony.id,
      roleIds: dto.roleIds,
      email: dto.email,
      name: dto.name,
      phone: dto.phone ?? null,
      languages: dto.languages ?? null,
      note: dto.note ?? null,
      locale: dto.locale ?? null,
      consentReminders: dto.consentReminders,
      requestedAt: this.clock.now().toISOString(),
    };
    await this.mailer.deferSignUp(request);
    this.metrics.signups.inc({ kind: 'volunteer', step: 'requested' });
    return SIGN_UP_ACCEPTED;
  }

  /**
   * Takes a sign-up (in the outbox processor). A new address becomes a pending volunteer and gets
   * the opt-in mail. A known address (same edition, any case) makes no second volunteer: while
   * still pending, the request's details and roles are kept sealed with a link of their own and
   * mailed to the address (the first re-send at once, then at most one per
   * SIGNUP_RESEND_MINUTES); the stored volunteer does not change until its owner confirms one of
   * the links (`confirm`). Otherwise nothing happens. Times count from the request. An edition
   * hidden or a role removed since the answer drops the request. Run again after a crash, it
   * counts as a repeat of the address: at most one more mail, with a link of its own.
   */
  @JobHandler(SIGN_UP_REQUEST)
  async decide(request: SignUpRequest): Promise<void> {
    const ceremony = await this.ceremonies.findVisibleById(request.ceremonyId, false);
    // The checks of the answer, again: a 400 now means a role was removed or changed meanwhile.
    const roles =
      ceremony &&
      (await this.rolesOfEdition(ceremony.id, request.roleIds).catch((error: unknown) => {
        if (error instanceof BadRequestException) return null;
        throw error;
      }));
    if (!ceremony || !roles) {
      this.logger.warn(
        { ceremonyId: request.ceremonyId },
        'A volunteer sign-up was dropped: its edition was hidden, or one of its roles removed or changed, since it was made',
      );
      return;
    }
    const now = new Date(request.requestedAt);
    const expiresAt = new Date(now.getTime() + this.scheduler.signupExpiryHours * HOUR_MS);
    const details = {
      name: request.name,
      phone: request.phone,
      languages: request.languages,
      note: request.note,
      locale: request.locale,
      consentReminders: request.consentReminders,
    };
    await this.transactions.run(async (manager) => {
      const token = generateToken();
      let knownEmail: string | null = null;
      const insertedId = await this.volunteers.insertPendingIfNew(
        { ...details, ceremonyId: ceremony.id, email: request.email, tokenHash: token.hash, expiresAt },
        manager,
      );
      if (insertedId) {
        await this.volunteers.requestRoles(insertedId, request.roleIds, manager);
      } else {
        const known = await this.volunteers.findByEmailForUpdate(ceremony.id, request.email, manager);
        if (!known || known.status !== 'pending') return null;
        knownEmail = known.email;
        // The first re-send goes at once (the first mail may be lost); then one per window.
        const lastResent = known.confirmationResentAt?.getTime();
        if (lastResent !== undefined && now.getTime() - lastResent < this.scheduler.signupResendMinutes * MINUTE_MS)
          return null;
        // Anyone may type the address: the details wait with their own link, and only its owner applies them.
        const waiting: RequestedDetails = { ...details, roleIds: request.roleIds };
        await this.volunteers.addSignupRequest(
          { volunteerId: known.id, tokenHash: token.hash, sealed: this.mailer.seal(waiting), expiresAt },
          manager,
        );
        await this.volunteers.update(known.id, { confirmationResentAt: now }, manager);
      }
      const mail = this.mailer.compose(
        'confirm-request',
        // A re-send goes to the address as first stored; the address itself never changes here.
        { name: request.name, email: insertedId ? request.email : knownEmail, locale: details.locale },
        ceremony,
        { assigned: shiftsOf(roles) },
        {
          link: `${this.app.publicBaseUrl}/p/volunteer/confirm?token=${token.token}${details.locale ? `&lang=${details.locale}` : ''}`,
          expiresAt,
          details: { phone: details.phone, consentReminders: details.consentReminders },
        },
      );
      await this.mailer.enqueue([mail], manager);
    });
  }

  /**
   * Idempotent: a confirmed token answers the same view again and changes nothing. A link mailed
   * for a re-sign-up confirms exactly the details it was sent for, which replace the stored ones;
   * its token becomes the private one. Every link of a pending sign-up works until it expires; the
   * first one confirmed wins and the others stop working.
   */
  async confirm(token: string): Promise<ConfirmedVolunteerView> {
    if (!isWellFormedToken(token)) throw new NotFoundException(TOKEN_MISS);
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const volunteer =
        (await this.volunteers.lockLiveByTokenHash(hashToken(token), this.clock.now(), manager)) ??
        (await this.applySignupRequest(token, manager));
      if (volunteer.status === 'pending') {
        const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
        mails.push(await this.confirmPending(volunteer, ceremony, token, manager));
        this.metrics.signups.inc({ kind: 'volunteer', step: 'confirmed' });
      }
      await this.mailer.enqueue(mails, manager);
      return this.viewOf(volunteer.id, manager, await this.readerOf(volunteer, [], manager));
    });
    return { ...view, manageToken: token, manageUrl: this.manageUrl(token) };
  }

  /**
   * The owner of the address confirmed the link of a re-sign-up: its details and roles replace
   * the stored ones, and its token becomes the volunteer's. A 404 like any miss when the link is
   * unknown, expired, or its volunteer was confirmed by another link meanwhile.
   */
  private async applySignupRequest(token: string, manager: EntityManager): Promise<Volunteer> {
    const tokenHash = hashToken(token);
    const request = await this.volunteers.findLiveSignupRequest(tokenHash, this.clock.now(), manager);
    const volunteer = request && (await this.volunteers.lockById(request.volunteerId, manager));
    if (!request || !volunteer || volunteer.status !== 'pending') throw new NotFoundException(TOKEN_MISS);
    const { roleIds, ...details } = this.mailer.open<RequestedDetails>(request.sealed);
    // Roles removed since the request are left out; the others are checked again.
    const existing = (await this.roles.findByIds(roleIds, manager))
      .filter((role) => role.ceremonyId === volunteer.ceremonyId)
      .map((role) => role.id);
    await this.rolesOfEdition(volunteer.ceremonyId, existing, manager);
    await this.volunteers.update(volunteer.id, { ...details, tokenHash, expiresAt: request.expiresAt }, manager);
    const current = await this.volunteers.assignments([volunteer.id], manager);
    await this.volunteers.removeAssignments(
      volunteer.id,
      current.map((row) => row.roleId),
      manager,
    );
    await this.volunteers.requestRoles(volunteer.id, existing, manager);
    return (await this.volunteers.findById(volunteer.id, manager)) as Volunteer;
  }

  // ---- self-service (X-Manage-Token) --------------------------------------------------------

  /** Role names in the reader's language, else the volunteer's own, else along the edition's. */
  async getOwn(token: string, lang: readonly Locale[] = []): Promise<VolunteerView> {
    const volunteer = await this.findOwn(token);
    return this.viewOf(volunteer.id, undefined, await this.readerOf(volunteer, lang));
  }

  async updateOwn(token: string, dto: UpdateOwnVolunteeringDto, lang: readonly Locale[] = []): Promise<VolunteerView> {
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const volunteer = await this.lockOwn(token, manager);
      await this.volunteers.update(
        volunteer.id,
        // name and consent cannot be cleared (null means "leave as is"); phone, languages, note and locale can.
        {
          name: dto.name ?? undefined,
          phone: dto.phone,
          languages: dto.languages,
          note: dto.note,
          locale: dto.locale,
          consentReminders: dto.consentReminders ?? undefined,
        },
        manager,
      );
      if (dto.roleIds) {
        const roles = await this.rolesOfEdition(volunteer.ceremonyId, dto.roleIds, manager);
        const current = await this.volunteers.assignments([volunteer.id], manager);
        if (volunteer.status === 'pending') {
          await this.volunteers.removeAssignments(
            volunteer.id,
            current.map((row) => row.roleId),
            manager,
          );
          await this.volunteers.requestRoles(volunteer.id, dto.roleIds, manager);
        } else {
          const promoted = await this.changeRoles(volunteer, roles, current, manager, 'waitlist');
          const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
          mails.push(...(await this.placement.promotionMails(ceremony, promoted, manager)));
        }
      }
      await this.mailer.enqueue(mails, manager);
      return this.viewOf(volunteer.id, manager, await this.readerOf(volunteer, lang, manager));
    });
    return view;
  }

  /** Frees the places (the waitlists move up), then erases every personal detail. */
  async withdrawOwn(token: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const volunteer = await this.lockOwn(token, manager);
      const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
      const current = await this.volunteers.assignments([volunteer.id], manager);
      await this.roles.lockByIds(
        current.map((row) => row.roleId),
        manager,
      );
      const promoted = await this.placement.leave(volunteer.id, current, this.clock.now(), manager);
      mails.push(...(await this.placement.promotionMails(ceremony, promoted, manager)));
      // Composed from memory before the erase; it waits sealed in the outbox and is gone once sent.
      if (volunteer.status === 'confirmed')
        mails.push(this.mailer.compose('withdrawn', volunteer, ceremony, { assigned: [] }));
      await this.volunteers.erase(volunteer.id, this.clock.now(), manager);
      await this.mailings.forgetRecipient('volunteer', volunteer.id, manager);
      await this.mailer.enqueue(mails, manager);
    });
  }

  async exportOwn(token: string): Promise<VolunteerExportView> {
    const volunteer = await this.findOwn(token);
    return { ...(await this.volunteers.exportRecord(volunteer.id)), exportedAt: this.clock.now() };
  }

  // ---- staff ---------------------------------------------------------------------------------

  /** Role names (JSON and CSV) in the reader's language, falling back along the edition's. */
  async roster(
    ceremonyId: string,
    query: RosterQueryDto,
    lang: readonly Locale[] = [],
  ): Promise<Page<VolunteerView> | string> {
    const edition = await this.ceremonies.findById(ceremonyId);
    if (!edition) throw new NotFoundException('Edition not found');
    const csv = query.format === 'csv';
    const [people, total] = await this.volunteers.roster(
      ceremonyId,
      { status: query.status, roleId: query.roleId },
      csv ? null : { limit: query.limit, offset: query.offset },
    );
    const assignments = await this.volunteers.assignments(people.map((person) => person.id));
    const items = people.map((person) => toView(person, assignments, { lang, locales: edition.locales }));
    return csv ? toCsv(items, rosterColumns(edition)) : { items, total };
  }

  /**
   * Approve (pending → confirmed, as if the person had confirmed; a new private link is mailed)
   * and assign or move: `roleIds` become the roles the volunteer holds a place in, or the whole
   * change is refused with 409 naming a full role. Places left are passed to the waitlists.
   */
  async updateByStaff(
    actor: AuthUser,
    id: string,
    dto: OrganizerUpdateVolunteerDto,
    lang: readonly Locale[] = [],
  ): Promise<VolunteerView> {
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const volunteer = await this.volunteers.lockById(id, manager);
      if (!volunteer) throw new NotFoundException('Volunteer not found');
      if (volunteer.status === 'withdrawn')
        throw conflict('volunteer_withdrawn', 'This volunteer has withdrawn; their sign-up cannot be changed');
      const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
      const before = await this.volunteers.assignments([volunteer.id], manager);
      const roles = dto.roleIds ? await this.rolesOfEdition(volunteer.ceremonyId, dto.roleIds, manager) : null;
      let action: string | null = null;

      if (volunteer.status === 'pending') {
        if (roles) {
          await this.volunteers.removeAssignments(
            volunteer.id,
            before.map((row) => row.roleId),
            manager,
          );
          await this.volunteers.requestRoles(
            volunteer.id,
            roles.map((role) => role.id),
            manager,
          );
          action = 'volunteer.assign';
        }
        if (dto.status === 'confirmed') {
          // Approval replaces the token: the person gets a new private link by mail.
          const token = generateToken();
          await this.volunteers.update(volunteer.id, { tokenHash: token.hash }, manager);
          mails.push(await this.confirmPending(volunteer, ceremony, token.token, manager));
          action = 'volunteer.approve';
        }
      } else if (roles) {
        const promoted = await this.changeRoles(volunteer, roles, before, manager, 'refuse', {
          lang,
          locales: ceremony.locales,
        });
        mails.push(...(await this.placement.promotionMails(ceremony, promoted, manager)));
        action = 'volunteer.move';
      }

      const after = (await this.volunteers.findById(volunteer.id, manager)) as Volunteer;
      const afterAssignments = await this.volunteers.assignments([volunteer.id], manager);
      if (action) {
        await this.audit.record(
          {
            actor,
            action,
            entityType: 'volunteer',
            entityId: volunteer.id,
            before: auditSnapshot(volunteer, before),
            after: auditSnapshot(after, afterAssignments),
          },
          manager,
        );
      }
      await this.mailer.enqueue(staffTriggered(mails), manager);
      return toView(after, afterAssignments, { lang, locales: ceremony.locales });
    });
    return view;
  }

  /**
   * Staff add a volunteer they vouch for (an import from a paper or partner list): no opt-in round
   * trip. The person is confirmed at once, placed or waitlisted in the requested roles in the order
   * they are added, and mailed their private link to see, change or withdraw. An address already
   * signed up for that edition is refused (409), never merged. Drafts are allowed: staff prepare.
   */
  async addConfirmedByStaff(actor: AuthUser, dto: SignUpVolunteerDto): Promise<VolunteerView> {
    const ceremony = await this.ceremonies.findById(dto.ceremonyId);
    if (!ceremony) throw new NotFoundException('Edition not found');
    await this.rolesOfEdition(ceremony.id, dto.roleIds);
    const now = this.clock.now();
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const token = generateToken();
      const insertedId = await this.volunteers.insertPendingIfNew(
        {
          ceremonyId: ceremony.id,
          name: dto.name,
          email: dto.email,
          phone: dto.phone ?? null,
          languages: dto.languages ?? null,
          note: dto.note ?? null,
          locale: dto.locale ?? null,
          consentReminders: dto.consentReminders,
          tokenHash: token.hash,
          expiresAt: new Date(now.getTime() + this.scheduler.signupExpiryHours * HOUR_MS),
        },
        manager,
      );
      if (!insertedId)
        throw conflict('already_signed_up', `${dto.email} has already signed up for this edition`, { field: 'email' });
      await this.volunteers.requestRoles(insertedId, dto.roleIds, manager);
      const volunteer = (await this.volunteers.lockById(insertedId, manager)) as Volunteer;
      mails.push(await this.confirmPending(volunteer, ceremony, token.token, manager));
      const after = (await this.volunteers.findById(insertedId, manager)) as Volunteer;
      const assignments = await this.volunteers.assignments([insertedId], manager);
      await this.audit.record(
        {
          actor,
          action: 'volunteer.add',
          entityType: 'volunteer',
          entityId: insertedId,
          after: auditSnapshot(after, assignments),
        },
        manager,
      );
      await this.mailer.enqueue(staffTriggered(mails), manager);
      return toView(after, assignments, { lang: [], locales: ceremony.locales });
    });
    return view;
  }

  // ---- scheduled -----------------------------------------------------------------------------

  /** Deletes unconfirmed sign-ups past their expiry (set-based; their requested roles go too). Every 10 minutes. */
  @Tick('volunteers.purge-expired-sign-ups', '*/10 * * * *')
  async purgeExpiredSignups(now: Date): Promise<number> {
    const started = Date.now();
    const purged = await this.volunteers.purgeExpiredPending(now);
    this.logger.log({ purged, durationMs: Date.now() - started }, 'Expired volunteer sign-ups purged');
    return purged;
  }

  // ---- rules shared by the use cases above --------------------------------------------------

  /** Roles must all exist in that edition, and their shifts must not overlap. */
  private async rolesOfEdition(
    ceremonyId: string,
    roleIds: readonly string[],
    manager?: EntityManager,
  ): Promise<VolunteerRole[]> {
    const roles = await this.roles.findByIds(roleIds, manager);
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
      throw badRequest([english], entries);
    }
    const clash = findShiftClash(roles);
    if (clash) {
      // Both roles are named, each at its place in the list, so a form can mark the pair.
      const [first, second] = clash;
      const params = { first: first.name, second: second.name };
      const english = describeClash(clash);
      throw badRequest(
        [`roleIds: ${english}`],
        [first, second].map((role) => ({
          field: `roleIds[${roleIds.indexOf(role.id)}]`,
          code: 'roles_overlap' as const,
          english,
          params,
        })),
      );
    }
    return roles;
  }

  /**
   * The confirmed volunteer's roles become `roles`: roles left free their places (promoting the
   * waitlist), roles joined take a place, or are waitlisted ('waitlist', self-service) or refused
   * with 409 ('refuse', staff). All touched roles are locked first, in id order.
   */
  private async changeRoles(
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
  private async confirmPending(
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

  private manageUrl(token: string): string {
    return `${this.app.publicBaseUrl}/p/volunteer/me?token=${token}`;
  }

  private async viewOf(id: string, manager: EntityManager | undefined, reader: RoleNameReader): Promise<VolunteerView> {
    const volunteer = (await this.volunteers.findById(id, manager)) as Volunteer;
    return toView(volunteer, await this.volunteers.assignments([id], manager), reader);
  }

  /** A volunteer reading their own sign-up: their languages, then the one they signed up in. */
  private async readerOf(
    volunteer: Volunteer,
    lang: readonly Locale[],
    manager?: EntityManager,
  ): Promise<RoleNameReader> {
    const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
    const own = LOCALES.find((locale) => locale === volunteer.locale);
    return { lang: own ? [...lang, own] : lang, locales: ceremony.locales };
  }

  private async findOwn(token: string | undefined): Promise<Volunteer> {
    const volunteer = isWellFormedToken(token)
      ? await this.volunteers.findLiveByTokenHash(hashToken(token), this.clock.now())
      : null;
    if (!volunteer) throw new NotFoundException(TOKEN_MISS);
    return volunteer;
  }

  private async lockOwn(token: string | undefined, manager: EntityManager): Promise<Volunteer> {
    const volunteer = isWellFormedToken(token)
      ? await this.volunteers.lockLiveByTokenHash(hashToken(token), this.clock.now(), manager)
      : null;
    if (!volunteer) throw new NotFoundException(TOKEN_MISS);
    return volunteer;
  }
}
