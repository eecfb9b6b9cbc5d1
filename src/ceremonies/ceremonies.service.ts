import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { editionNotFound } from '../common/errors/refusal';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { commemorationConfig, CommemorationConfig, Locale, LOCALES } from '../config/commemoration.config';
import { mailConfig, MailConfig } from '../config/mail.config';
import { TransactionService } from '../database/transaction.service';
import { CeremoniesRepository } from './ceremonies.repository';
import { buildCeremonyCalendar } from './ceremony-calendar';
import { CeremonyDependents } from './ceremony-dependents';
import { nextYearValues, resolveEditionValues, startMoved } from './ceremony-rules';
import { Ceremony } from './ceremony.entity';
import { CeremonyDefaultsView, CeremonyView, CreateCeremonyDto, UpdateCeremonyDto } from './dto/ceremony.dto';
import { anniversaryDate, instantToLocalDate } from './ceremony-time';
import { ProgramItemsRepository } from './program-items.repository';

@Injectable()
export class CeremoniesService {
  constructor(
    private readonly ceremonies: CeremoniesRepository,
    private readonly program: ProgramItemsRepository,
    private readonly dependents: CeremonyDependents,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
  ) {}

  /** The edition if this viewer may see it; a draft is a 404 to the public, like a missing one. */
  async findVisible(id: string, viewer: AuthUser | null): Promise<Ceremony> {
    const ceremony = await this.ceremonies.findVisibleById(id, viewer !== null);
    if (!ceremony) throw editionNotFound();
    return ceremony;
  }

  async listEditions(
    viewer: AuthUser | null,
    limit: number,
    offset: number,
    lang: readonly Locale[] = [],
  ): Promise<Page<CeremonyView>> {
    const [items, total] = await this.ceremonies.list(viewer !== null, limit, offset);
    return { items: items.map((ceremony) => CeremonyView.of(ceremony, lang)), total };
  }

  async getEdition(id: string, viewer: AuthUser | null, lang: readonly Locale[] = []): Promise<CeremonyView> {
    return CeremonyView.of(await this.findVisible(id, viewer), lang);
  }

  /** The defaults a new edition of `year` gets (by default the year after the newest edition, at least this year). */
  async editionDefaults(year?: number): Promise<CeremonyDefaultsView> {
    let proposed = year;
    if (proposed === undefined) {
      const thisYear = Number(instantToLocalDate(this.clock.now(), this.commemoration.defaultTimeZone).slice(0, 4));
      const latest = await this.ceremonies.findLatestYear();
      proposed = Math.max(thisYear, (latest ?? 0) + 1);
    }
    return {
      year: proposed,
      date: anniversaryDate(proposed, this.commemoration.month, this.commemoration.day),
      timeZone: this.commemoration.defaultTimeZone,
      locales: [...LOCALES],
    };
  }

  async getCurrentEdition(lang: readonly Locale[] = []): Promise<CeremonyView> {
    const ceremony = await this.ceremonies.findCurrent(this.clock.now());
    if (!ceremony) throw new NotFoundException('No ceremony has been published yet');
    return CeremonyView.of(ceremony, lang);
  }

  async createEdition(actor: AuthUser, dto: CreateCeremonyDto, lang: readonly Locale[] = []): Promise<CeremonyView> {
    const values = resolveEditionValues(dto, null, this.commemoration);
    await this.assertDatabaseKnowsZone(values.timeZone);
    return this.transactions.run(async (manager) => {
      const ceremony = await this.ceremonies.insert(values, manager);
      if (!ceremony) throw new ConflictException(`An edition for ${values.year} already exists`);
      await this.audit.record(
        {
          actor,
          action: 'ceremony.create',
          entityType: 'ceremony',
          entityId: ceremony.id,
          after: CeremonyView.of(ceremony),
        },
        manager,
      );
      return CeremonyView.of(ceremony, lang);
    });
  }

  /** Applies the changed fields; when the start moves, every dependent feature follows in the same transaction. */
  async updateEdition(
    actor: AuthUser,
    id: string,
    dto: UpdateCeremonyDto,
    lang: readonly Locale[] = [],
  ): Promise<CeremonyView> {
    return this.transactions.run(async (manager) => {
      const before = await this.ceremonies.findByIdForUpdate(id, manager);
      if (!before) throw editionNotFound();
      const values = resolveEditionValues(dto, before, this.commemoration);
      if (values.timeZone !== before.timeZone) await this.assertDatabaseKnowsZone(values.timeZone);
      const after = await this.ceremonies.update(id, values, manager);
      if (after === null) throw editionNotFound();
      if (after === false) throw new ConflictException(`An edition for ${values.year} already exists`);
      if (startMoved(before, after)) {
        for (const dependent of this.dependents.all()) {
          await dependent.rescheduleAfterDateChange?.(before, after, manager);
        }
      }
      await this.audit.record(
        {
          actor,
          action: 'ceremony.update',
          entityType: 'ceremony',
          entityId: id,
          before: CeremonyView.of(before),
          after: CeremonyView.of(after),
        },
        manager,
      );
      return CeremonyView.of(after, lang);
    });
  }

  private async assertDatabaseKnowsZone(timeZone: string): Promise<void> {
    if (!(await this.ceremonies.isKnownTimeZone(timeZone))) {
      throw new BadRequestException([`timeZone "${timeZone}" is not known to the database's time zone data`]);
    }
  }

  publishEdition(actor: AuthUser, id: string): Promise<CeremonyView> {
    return this.changeStatus(actor, id, 'published');
  }

  unpublishEdition(actor: AuthUser, id: string): Promise<CeremonyView> {
    return this.changeStatus(actor, id, 'draft');
  }

  /** Idempotent: asking for the state the edition is already in changes (and records) nothing. */
  private changeStatus(actor: AuthUser, id: string, status: Ceremony['status']): Promise<CeremonyView> {
    return this.transactions.run(async (manager) => {
      const before = await this.ceremonies.findByIdForUpdate(id, manager);
      if (!before) throw editionNotFound();
      if (before.status === status) return CeremonyView.of(before);
      const after = await this.ceremonies.setStatus(
        id,
        status,
        status === 'published' ? this.clock.now() : null,
        manager,
      );
      const view = CeremonyView.of(after);
      await this.audit.record(
        {
          actor,
          action: status === 'published' ? 'ceremony.publish' : 'ceremony.unpublish',
          entityType: 'ceremony',
          entityId: id,
          before: CeremonyView.of(before),
          after: view,
        },
        manager,
      );
      return view;
    });
  }

  /** Next year's draft from this edition: its fields, its program and every dependent feature's plan, all or nothing. */
  async copyToNextYear(actor: AuthUser, id: string): Promise<CeremonyView> {
    return this.transactions.run(async (manager) => {
      const source = await this.ceremonies.findById(id, manager);
      if (!source) throw editionNotFound();
      if (source.year >= 2200)
        throw new BadRequestException([`year ${source.year + 1} is outside the supported range`]);
      const copy = await this.ceremonies.insert(nextYearValues(source, this.commemoration), manager);
      if (!copy) throw new ConflictException(`An edition for ${source.year + 1} already exists`);
      const programItems = await this.program.copyProgram(source.id, copy.id, manager);
      for (const dependent of this.dependents.all()) {
        await dependent.copyToNextYear?.(source, copy, manager);
      }
      const view = CeremonyView.of(copy);
      await this.audit.record(
        {
          actor,
          action: 'ceremony.copy_to_next_year',
          entityType: 'ceremony',
          entityId: copy.id,
          before: { copiedFrom: source.id, programItems },
          after: view,
        },
        manager,
      );
      return view;
    });
  }

  /** The edition and its program as an RFC 5545 calendar. */
  async calendarOf(
    id: string,
    viewer: AuthUser | null,
    lang: readonly Locale[] = [],
  ): Promise<{ filename: string; body: string }> {
    const ceremony = await this.findVisible(id, viewer);
    const program = await this.program.allForCeremony(id);
    return {
      filename: `ceremony-${ceremony.year}.ics`,
      body: buildCeremonyCalendar(ceremony, program, this.mail.messageIdDomain, lang),
    };
  }
}
