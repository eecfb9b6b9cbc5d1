import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { localToInstant } from '../ceremonies/ceremony-time';
import { Clock } from '../common/clock';
import { CsvColumn, instantColumns, toCsv, zonedInstant } from '../common/csv';
import { conflict, editionNotFound } from '../common/errors/refusal';
import { Page } from '../common/pagination';
import { generateToken } from '../common/tokens';
import type { Locale } from '../config/commemoration.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { TransactionService } from '../database/transaction.service';
import { staffTriggered } from '../mail/mail-queue.service';
import type { OutgoingMail } from '../mail/mail.types';
import { OrganizerUpdateVolunteerDto, RosterQueryDto, SignUpVolunteerDto, VolunteerView } from './dto/volunteer.dto';
import { VolunteerEnrolment } from './volunteer-enrolment.service';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import { auditSnapshot, toView } from './volunteer-views';
import type { Volunteer } from './volunteer.entity';
import { VolunteersRepository } from './volunteers.repository';

const HOUR_MS = 3_600_000;

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

/** The staff roster of an edition: the list and its CSV, approval, moves between roles, and volunteers staff add. */
@Injectable()
export class VolunteerRosterService {
  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly enrolment: VolunteerEnrolment,
    private readonly placement: VolunteerPlacement,
    private readonly mailer: VolunteerMailer,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  /** Role names (JSON and CSV) in the reader's language, falling back along the edition's. */
  async roster(
    ceremonyId: string,
    query: RosterQueryDto,
    lang: readonly Locale[] = [],
  ): Promise<Page<VolunteerView> | string> {
    const edition = await this.ceremonies.findById(ceremonyId);
    if (!edition) throw editionNotFound();
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
      const roles = dto.roleIds
        ? await this.enrolment.rolesOfEdition(volunteer.ceremonyId, dto.roleIds, manager)
        : null;
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
          mails.push(await this.enrolment.confirmPending(volunteer, ceremony, token.token, manager));
          action = 'volunteer.approve';
        }
      } else if (roles) {
        const promoted = await this.enrolment.changeRoles(volunteer, roles, before, manager, 'refuse', {
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
    if (!ceremony) throw editionNotFound();
    await this.enrolment.rolesOfEdition(ceremony.id, dto.roleIds);
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
      mails.push(await this.enrolment.confirmPending(volunteer, ceremony, token.token, manager));
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
}
