import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository';
import { EntityManager } from 'typeorm';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { Clock } from '../common/clock';
import { hashToken, isWellFormedToken } from '../common/tokens';
import { TransactionService } from '../database/transaction.service';
import type { OutgoingMail } from '../mail/mail.types';
import { MailingsService } from '../mailings/mailings.service';
import type { Locale } from '../config/commemoration.config';
import { UpdateOwnVolunteeringDto, VolunteerExportView, VolunteerView } from './dto/volunteer.dto';
import { VolunteerEnrolment } from './volunteer-enrolment.service';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { TOKEN_MISS } from './volunteer-views';
import type { Volunteer } from './volunteer.entity';
import { VolunteersRepository } from './volunteers.repository';

/** A volunteer's own sign-up, opened by the private token of their link (X-Manage-Token): see, change, withdraw, export. */
@Injectable()
export class VolunteerSelfService {
  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly roles: VolunteerRolesRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly enrolment: VolunteerEnrolment,
    private readonly placement: VolunteerPlacement,
    private readonly mailer: VolunteerMailer,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    private readonly mailings: MailingsService,
    private readonly auditLog: AuditRepository,
  ) {}

  /** Role names in the reader's language, else the volunteer's own, else along the edition's. */
  async getOwn(token: string, lang: readonly Locale[] = []): Promise<VolunteerView> {
    const volunteer = await this.findOwn(token);
    return this.enrolment.viewOf(volunteer.id, undefined, await this.enrolment.readerOf(volunteer, lang));
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
        const roles = await this.enrolment.rolesOfEdition(volunteer.ceremonyId, dto.roleIds, manager);
        const current = await this.volunteers.assignments([volunteer.id], manager);
        if (volunteer.status === 'pending') {
          await this.volunteers.removeAssignments(
            volunteer.id,
            current.map((row) => row.roleId),
            manager,
          );
          await this.volunteers.requestRoles(volunteer.id, dto.roleIds, manager);
        } else {
          const promoted = await this.enrolment.changeRoles(volunteer, roles, current, manager, 'waitlist');
          const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
          mails.push(...(await this.placement.promotionMails(ceremony, promoted, manager)));
        }
      }
      await this.mailer.enqueue(mails, manager);
      return this.enrolment.viewOf(volunteer.id, manager, await this.enrolment.readerOf(volunteer, lang, manager));
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
      // Composed from memory before the erase; it waits sealed in the job queue and is gone once sent.
      if (volunteer.status === 'confirmed')
        mails.push(this.mailer.compose('withdrawn', volunteer, ceremony, { assigned: [] }));
      await this.volunteers.erase(volunteer.id, this.clock.now(), manager);
      await this.mailings.forgetRecipient('volunteer', volunteer.id, manager);
      await this.mailer.enqueue(mails, manager);
    });
  }

  async exportOwn(token: string): Promise<VolunteerExportView> {
    const volunteer = await this.findOwn(token);
    const { volunteer: record, assignments } = await this.volunteers.exportRecord(volunteer.id);
    const auditLog = await this.auditLog.recordsOf('volunteer', volunteer.id);
    return { volunteer: record, assignments, auditLog, exportedAt: this.clock.now() };
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
