import { Injectable, NotFoundException } from '@nestjs/common';
import { editionNotFound } from '../common/errors/refusal';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import type { Locale } from '../config/commemoration.config';
import { TransactionService } from '../database/transaction.service';
import { CeremoniesRepository } from './ceremonies.repository';
import { resolveProgramItemValues } from './ceremony-rules';
import { Ceremony } from './ceremony.entity';
import { CreateProgramItemDto, ProgramItemView, UpdateProgramItemDto } from './dto/program-item.dto';
import { ProgramItemsRepository } from './program-items.repository';

@Injectable()
export class ProgramService {
  constructor(
    private readonly ceremonies: CeremoniesRepository,
    private readonly items: ProgramItemsRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async listProgram(
    ceremonyId: string,
    viewer: AuthUser | null,
    limit: number,
    offset: number,
    lang: readonly Locale[] = [],
  ): Promise<Page<ProgramItemView>> {
    const ceremony = await this.ceremonies.findVisibleById(ceremonyId, viewer !== null);
    if (!ceremony) throw editionNotFound();
    const [items, total] = await this.items.listForCeremony(ceremonyId, limit, offset);
    return { items: items.map((item) => ProgramItemView.of(item, ceremony, lang)), total };
  }

  addItem(
    actor: AuthUser,
    ceremonyId: string,
    dto: CreateProgramItemDto,
    lang: readonly Locale[] = [],
  ): Promise<ProgramItemView> {
    return this.transactions.run(async (manager) => {
      const ceremony = await this.lockCeremony(ceremonyId, manager);
      const item = await this.items.insert(ceremonyId, resolveProgramItemValues(dto, null, ceremony), manager);
      await this.audit.record(
        {
          actor,
          action: 'program_item.create',
          entityType: 'program_item',
          entityId: item.id,
          after: ProgramItemView.of(item, ceremony),
        },
        manager,
      );
      return ProgramItemView.of(item, ceremony, lang);
    });
  }

  updateItem(
    actor: AuthUser,
    ceremonyId: string,
    itemId: string,
    dto: UpdateProgramItemDto,
    lang: readonly Locale[] = [],
  ): Promise<ProgramItemView> {
    return this.transactions.run(async (manager) => {
      const ceremony = await this.lockCeremony(ceremonyId, manager);
      const before = await this.items.findInCeremony(ceremonyId, itemId, manager);
      if (!before) throw new NotFoundException('Program item not found');
      const after = await this.items.update(itemId, resolveProgramItemValues(dto, before, ceremony), manager);
      await this.audit.record(
        {
          actor,
          action: 'program_item.update',
          entityType: 'program_item',
          entityId: itemId,
          before: ProgramItemView.of(before, ceremony),
          after: ProgramItemView.of(after, ceremony),
        },
        manager,
      );
      return ProgramItemView.of(after, ceremony, lang);
    });
  }

  deleteItem(actor: AuthUser, ceremonyId: string, itemId: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      const ceremony = await this.lockCeremony(ceremonyId, manager);
      const before = await this.items.findInCeremony(ceremonyId, itemId, manager);
      if (!before) throw new NotFoundException('Program item not found');
      await this.items.delete(itemId, manager);
      await this.audit.record(
        {
          actor,
          action: 'program_item.delete',
          entityType: 'program_item',
          entityId: itemId,
          before: ProgramItemView.of(before, ceremony),
        },
        manager,
      );
    });
  }

  /**
   * Program edits take the edition's row lock, so they apply in turn with edits of its date, and
   * mark the edition changed (its calendar event's end and LAST-MODIFIED follow the program).
   */
  private async lockCeremony(ceremonyId: string, manager: EntityManager): Promise<Ceremony> {
    const ceremony = await this.ceremonies.findByIdForUpdate(ceremonyId, manager);
    if (!ceremony) throw editionNotFound();
    await this.ceremonies.touch(ceremonyId, manager);
    return ceremony;
  }
}
