import { BadRequestException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { conflict, editionNotFound } from '../common/errors/refusal';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import { CeremonyDependents } from '../ceremonies/ceremony-dependents';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import type { Locale } from '../config/commemoration.config';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database-errors';
import { applyText, resolveField } from '../common/localized-text';
import { TransactionService } from '../database/transaction.service';
import type { OutgoingMail } from '../mail/mail.types';
import { staffTriggered } from '../mail/mail-queue.service';
import { CreateVolunteerRoleDto, UpdateVolunteerRoleDto, VolunteerRoleView } from './dto/volunteer-role.dto';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerPlacement } from './volunteer-placement.service';
import type { VolunteerRole } from './volunteer-role.entity';
import { VolunteerRolesRepository } from './volunteer-roles.repository';

const ROLE_NAME_TAKEN = 'volunteer_roles_ceremony_name_key';

function assertShiftOrder(shiftStart: string, shiftEnd: string): void {
  if (shiftEnd <= shiftStart)
    throw new BadRequestException(['shiftEnd must be after shiftStart (both local HH:mm on the edition date)']);
}

/** A role's name and description as stored: plain columns plus their per-language maps. */
function roleTexts(
  dto: UpdateVolunteerRoleDto,
  current: VolunteerRole | null,
  locales: readonly Locale[],
): Pick<VolunteerRole, 'name' | 'description' | 'translations'> {
  const name = applyText('name', dto.name, current?.name, current?.translations ?? {}, locales, false);
  const description = applyText(
    'description',
    dto.description,
    current?.description ?? null,
    name.translations,
    locales,
    true,
  );
  return { name: name.plain, description: description.plain, translations: description.translations };
}

@Injectable()
export class VolunteerRolesService implements OnModuleInit {
  constructor(
    private readonly roles: VolunteerRolesRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly dependents: CeremonyDependents,
    private readonly placement: VolunteerPlacement,
    private readonly mailer: VolunteerMailer,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dependents.register({
      name: 'volunteer-roles',
      copyToNextYear: (from: Ceremony, to: Ceremony, manager: EntityManager) =>
        this.roles.copyToEdition(from.id, to.id, manager),
      // No rescheduleAfterDateChange: shifts are local HH:mm on the edition's date, so they follow
      // a new date or time zone by themselves.
    });
  }

  async createRole(
    actor: AuthUser,
    ceremonyId: string,
    dto: CreateVolunteerRoleDto,
    lang: readonly Locale[] = [],
  ): Promise<VolunteerRoleView> {
    const ceremony = await this.ceremonies.findById(ceremonyId);
    if (!ceremony) throw editionNotFound();
    assertShiftOrder(dto.shiftStart, dto.shiftEnd);
    const texts = roleTexts(dto, null, ceremony.locales);
    return this.transactions.run(async (manager) => {
      const role = await this.roles
        .insert(
          ceremonyId,
          {
            ...texts,
            capacity: dto.capacity,
            shiftStart: dto.shiftStart,
            shiftEnd: dto.shiftEnd,
            requiredLanguages: dto.requiredLanguages ?? [],
          },
          manager,
        )
        .catch((error: unknown) => this.rethrowNameTaken(error, texts.name));
      await this.audit.record(
        { actor, action: 'volunteer_role.create', entityType: 'volunteer_role', entityId: role.id, after: role },
        manager,
      );
      return VolunteerRoleView.of(role, 0, lang, ceremony.locales);
    });
  }

  /** Public for published editions; staff (a valid bearer token) also see drafts. */
  async listRoles(
    ceremonyId: string,
    viewer: AuthUser | null,
    lang: readonly Locale[] = [],
  ): Promise<VolunteerRoleView[]> {
    const ceremony = await this.ceremonies.findVisibleById(ceremonyId, viewer !== null);
    if (!ceremony || (ceremony.status !== 'published' && !viewer)) throw editionNotFound();
    return this.rolesOf(ceremony, lang);
  }

  /** The roles of an edition the caller has already found and may see. */
  async rolesOf(edition: Pick<Ceremony, 'id' | 'locales'>, lang: readonly Locale[] = []): Promise<VolunteerRoleView[]> {
    const roles = await this.roles.listForEdition(edition.id);
    const waitlisted = await this.roles.waitlistCounts(roles.map((role) => role.id));
    return roles.map((role) => VolunteerRoleView.of(role, waitlisted.get(role.id) ?? 0, lang, edition.locales));
  }

  async updateRole(
    actor: AuthUser,
    roleId: string,
    dto: UpdateVolunteerRoleDto,
    lang: readonly Locale[] = [],
  ): Promise<VolunteerRoleView> {
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const [before] = await this.roles.lockByIds([roleId], manager);
      if (!before) throw new NotFoundException('Volunteer role not found');
      assertShiftOrder(dto.shiftStart ?? before.shiftStart, dto.shiftEnd ?? before.shiftEnd);
      const edition = (await this.ceremonies.findById(before.ceremonyId, manager)) as Ceremony;
      if (dto.capacity !== undefined && dto.capacity < before.filled) {
        const name = resolveField(before.name, before.translations, 'name', lang, edition.locales);
        throw conflict(
          'role_capacity_below_filled',
          `${before.filled} volunteers hold a place in "${name}"; the capacity cannot go below ${before.filled}`,
          {
            field: 'capacity',
            params: { role: name, filled: before.filled },
          },
        );
      }
      const texts: Partial<Pick<VolunteerRole, 'name' | 'description' | 'translations'>> =
        dto.name !== undefined || dto.description !== undefined ? roleTexts(dto, before, edition.locales) : {};
      await this.roles
        .update(
          roleId,
          {
            ...texts,
            capacity: dto.capacity,
            shiftStart: dto.shiftStart,
            shiftEnd: dto.shiftEnd,
            requiredLanguages: dto.requiredLanguages,
          },
          manager,
        )
        .catch((error: unknown) => this.rethrowNameTaken(error, texts.name ?? before.name));
      // More places: the waitlist moves up at once, in order.
      const promoted =
        dto.capacity !== undefined && dto.capacity > before.capacity
          ? await this.placement.promote(roleId, this.clock.now(), manager)
          : [];
      const after = (await this.roles.findById(roleId, manager)) as VolunteerRole;
      const ceremony = (await this.ceremonies.findById(after.ceremonyId, manager)) as Ceremony;
      mails.push(...(await this.placement.promotionMails(ceremony, promoted, manager)));
      await this.audit.record(
        { actor, action: 'volunteer_role.update', entityType: 'volunteer_role', entityId: roleId, before, after },
        manager,
      );
      const waitlisted = await this.roles.waitlistCounts([roleId], manager);
      await this.mailer.enqueue(staffTriggered(mails), manager);
      return VolunteerRoleView.of(after, waitlisted.get(roleId) ?? 0, lang, ceremony.locales);
    });
    return view;
  }

  async deleteRole(actor: AuthUser, roleId: string, lang: readonly Locale[] = []): Promise<void> {
    await this.transactions.run(async (manager) => {
      const [role] = await this.roles.lockByIds([roleId], manager);
      if (!role) throw new NotFoundException('Volunteer role not found');
      const holders = await this.roles.countHolders(roleId, manager);
      if (holders > 0) {
        const edition = (await this.ceremonies.findById(role.ceremonyId, manager)) as Ceremony;
        // Named in the reader's language, as the role lists show it.
        const name = resolveField(role.name, role.translations, 'name', lang, edition.locales);
        throw conflict(
          'role_in_use',
          `${holders} volunteer(s) hold a place in or wait for "${name}"; move them to another role before deleting it`,
          { params: { role: name } },
        );
      }
      await this.roles.delete(roleId, manager);
      await this.audit.record(
        { actor, action: 'volunteer_role.delete', entityType: 'volunteer_role', entityId: roleId, before: role },
        manager,
      );
    });
  }

  private rethrowNameTaken(error: unknown, name: string): never {
    if (isUniqueViolation(error, ROLE_NAME_TAKEN))
      throw conflict('role_name_taken', `This edition already has a volunteer role named "${name}"`, {
        field: 'name',
        params: { role: name },
      });
    throw error;
  }
}
