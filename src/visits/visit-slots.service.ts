import { BadRequestException, Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { conflict, editionNotFound } from '../common/errors/refusal';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { AuditService } from '../audit/audit.service';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import { CeremonyDependents } from '../ceremonies/ceremony-dependents';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { localToInstant } from '../ceremonies/ceremony-time';
import { visitsConfig, VisitsConfig } from '../config/visits.config';
import { TransactionService } from '../database/transaction.service';
import { BookingsService } from './bookings.service';
import {
  CreateVisitSlotsDto,
  UpdateVisitSlotDto,
  VisitSlotSummary,
  VisitSlotPlanView,
  VisitSlotSummaryRow,
  VisitSlotView,
  WALL_CLOCK,
} from './dto/visit-slot.dto';
import { PublicSlotsCache } from './public-slots-cache';
import { VisitsRepository } from './visits.repository';
import { countGeneratedSlots } from './waitlist';

const SLOT_NOT_FOUND = 'Time slot not found';
const MAX_SLOT_MINUTES = 24 * 60;

/** One rule for a slot's times, used by create, generate and edit. */
function assertSlotTimes(startsAt: Date, endsAt: Date, field = 'endsAt'): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw new BadRequestException([`${field} must be after the start`]);
  if (endsAt.getTime() - startsAt.getTime() > MAX_SLOT_MINUTES * 60_000)
    throw new BadRequestException([`${field} must be at most 24 hours after the start`]);
}

@Injectable()
export class VisitSlotsService implements OnModuleInit {
  private readonly logger = new Logger(VisitSlotsService.name);

  constructor(
    private readonly visits: VisitsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly dependents: CeremonyDependents,
    private readonly bookings: BookingsService,
    private readonly transactions: TransactionService,
    private readonly slotsCache: PublicSlotsCache,
    private readonly audit: AuditService,
    @Inject(visitsConfig.KEY) private readonly config: VisitsConfig,
  ) {}

  onModuleInit(): void {
    this.dependents.register({
      name: 'visits',
      copyToNextYear: (from, to, manager) => this.copySlotPattern(from, to, manager),
      rescheduleAfterDateChange: (before, after, manager) => this.rescheduleSlots(before, after, manager),
    });
  }

  /** One slot, or a series generated in one statement. */
  async createSlots(
    actor: AuthUser,
    ceremonyId: string,
    dto: CreateVisitSlotsDto,
  ): Promise<VisitSlotView | VisitSlotView[]> {
    const ceremony = await this.requireCeremony(ceremonyId);
    const series = dto.from !== undefined;
    if (series && (dto.startsAt !== undefined || dto.endsAt !== undefined)) {
      throw new BadRequestException([
        'Send either startsAt and endsAt (one slot) or from, to, everyMinutes and durationMinutes (a series), not both',
      ]);
    }
    if (!series) {
      const startsAt = new Date(dto.startsAt!);
      const endsAt = new Date(dto.endsAt!);
      assertSlotTimes(startsAt, endsAt);
      return this.changeSlots(async (manager) => {
        const slot = await this.visits.insertSlot({ ceremonyId, startsAt, endsAt, capacity: dto.capacity }, manager);
        await this.audit.record(
          { actor, action: 'visit_slot.create', entityType: 'visit_slot', entityId: slot.id, after: slot },
          manager,
        );
        return VisitSlotView.of(slot);
      });
    }

    const { from, to } = this.seriesBounds(dto, ceremony);
    return this.changeSlots(async (manager) => {
      const slots = await this.visits.generateSlots(
        {
          ceremonyId,
          from,
          to,
          everyMinutes: dto.everyMinutes!,
          durationMinutes: dto.durationMinutes!,
          capacity: dto.capacity,
        },
        manager,
      );
      await this.audit.record(
        {
          actor,
          action: 'visit_slot.generate',
          entityType: 'ceremony',
          entityId: ceremonyId,
          after: {
            from,
            to,
            everyMinutes: dto.everyMinutes,
            durationMinutes: dto.durationMinutes,
            capacity: dto.capacity,
            created: slots.length,
            slotIds: slots.map((slot) => slot.id),
          },
        },
        manager,
      );
      return slots.map((slot) => VisitSlotView.of(slot));
    });
  }

  /** The slots a series would make, by the same rule and checks as `createSlots`, written nowhere. */
  async previewSlots(ceremonyId: string, dto: CreateVisitSlotsDto): Promise<VisitSlotPlanView> {
    const ceremony = await this.requireCeremony(ceremonyId);
    if (dto.from === undefined || dto.startsAt !== undefined || dto.endsAt !== undefined) {
      throw new BadRequestException([
        'A preview is for a series: send from, to, everyMinutes, durationMinutes and capacity',
      ]);
    }
    const { from, to } = this.seriesBounds(dto, ceremony);
    const planned = await this.visits.previewGeneratedSlots({
      ceremonyId,
      from,
      to,
      everyMinutes: dto.everyMinutes!,
      durationMinutes: dto.durationMinutes!,
    });
    const skip = planned.filter((slot) => slot.exists).length;
    return { slots: planned.map((slot) => ({ ...slot, capacity: dto.capacity })), create: planned.length - skip, skip };
  }

  /** The public list: only for published editions. */
  listPublicSlots(ceremonyId: string): Promise<VisitSlotView[]> {
    return this.slotsCache.get(ceremonyId, async () => {
      const ceremony = await this.ceremonies.findVisibleById(ceremonyId, false);
      if (!ceremony) throw editionNotFound();
      const slots = await this.visits.listSlotsWithCounts(ceremonyId);
      return slots.map((slot) => VisitSlotView.of(slot, slot.waitlisted));
    });
  }

  /** Staff view: per-slot and total people booked, checked in and waiting (drafts included). */
  async summary(ceremonyId: string): Promise<VisitSlotSummary> {
    await this.requireCeremony(ceremonyId);
    return this.summaryOf(ceremonyId);
  }

  /** The same figures for an edition the caller has already found (one statement). */
  async summaryOf(ceremonyId: string): Promise<VisitSlotSummary> {
    const slots = (await this.visits.listSlotsWithCounts(ceremonyId)).map((slot) => VisitSlotSummaryRow.ofCounts(slot));
    const total = (pick: (row: VisitSlotSummaryRow) => number) => slots.reduce((sum, row) => sum + pick(row), 0);
    return {
      slots,
      capacity: total((row) => row.capacity),
      booked: total((row) => row.booked),
      checkedIn: total((row) => row.checkedIn),
      waitlisted: total((row) => row.waitlisted),
    };
  }

  /**
   * Edits times and/or capacity. Capacity may drop only to what is confirmed (checked in the
   * UPDATE itself); raising it moves the waiting list up in the same transaction.
   */
  async updateSlot(actor: AuthUser, slotId: string, dto: UpdateVisitSlotDto): Promise<VisitSlotView> {
    if (dto.capacity === undefined && dto.startsAt === undefined && dto.endsAt === undefined) {
      throw new BadRequestException(['Send at least one of capacity, startsAt, endsAt']);
    }
    const slot = await this.changeSlots(async (manager) => {
      const before = await this.visits.lockSlot(slotId, manager);
      if (!before) throw new NotFoundException(SLOT_NOT_FOUND);
      if (dto.startsAt !== undefined || dto.endsAt !== undefined) {
        const startsAt = dto.startsAt !== undefined ? new Date(dto.startsAt) : before.startsAt;
        const endsAt = dto.endsAt !== undefined ? new Date(dto.endsAt) : before.endsAt;
        assertSlotTimes(startsAt, endsAt);
        await this.visits.updateSlotTimes(slotId, startsAt, endsAt, manager);
      }
      let promoted: Awaited<ReturnType<BookingsService['promoteWaitlist']>> = [];
      if (dto.capacity !== undefined) {
        if (!(await this.visits.setCapacity(slotId, dto.capacity, manager))) {
          throw conflict(
            'capacity_below_booked',
            `Capacity cannot be lowered below the ${before.booked} people already booked in this time slot`,
            { field: 'capacity', params: { booked: before.booked } },
          );
        }
        if (dto.capacity > before.capacity) promoted = await this.bookings.promoteWaitlist(slotId, manager);
      }
      await this.bookings.mailPromoted(promoted, manager);
      const after = (await this.visits.findSlot(slotId, manager))!;
      await this.audit.record(
        {
          actor,
          action: 'visit_slot.update',
          entityType: 'visit_slot',
          entityId: slotId,
          before,
          after: { ...after, promotedBookingIds: promoted.map((booking) => booking.id) },
        },
        manager,
      );
      return after;
    });
    return VisitSlotView.of(slot, await this.visits.waitlistedPeople(slotId));
  }

  /** Removes a slot that nobody holds or waits for (cancelled bookings go with it). */
  async deleteSlot(actor: AuthUser, slotId: string): Promise<void> {
    await this.changeSlots(async (manager) => {
      const slot = await this.visits.lockSlot(slotId, manager);
      if (!slot) throw new NotFoundException(SLOT_NOT_FOUND);
      const active = await this.visits.countActiveBookings(slotId, manager);
      if (active > 0) {
        throw conflict(
          'slot_has_bookings',
          `This time slot has ${active} active booking${active === 1 ? '' : 's'} (${slot.booked} people confirmed); cancel them or move the visitors before deleting it`,
        );
      }
      await this.visits.deleteSlot(slotId, manager);
      await this.audit.record(
        { actor, action: 'visit_slot.delete', entityType: 'visit_slot', entityId: slotId, before: slot },
        manager,
      );
    });
  }

  private async copySlotPattern(from: Ceremony, to: Ceremony, manager: EntityManager): Promise<void> {
    this.slotsCache.clear();
    const copied = await this.visits.copySlotPattern(from, to, manager);
    this.logger.log({ from: from.id, to: to.id, copied }, 'Visit slots copied to the next edition');
  }

  /**
   * Rule: every slot keeps its wall-clock distance from the edition's start. The slots move by
   * (new date + start time) - (old date + start time) in local time, so a date change keeps each
   * slot's local time and a start-time change moves the slots with it.
   */
  private async rescheduleSlots(before: Ceremony, after: Ceremony, manager: EntityManager): Promise<void> {
    this.slotsCache.clear();
    const moved = await this.visits.shiftSlots(
      after.id,
      { localStart: `${before.date} ${before.startTime}`, timeZone: before.timeZone },
      { localStart: `${after.date} ${after.startTime}`, timeZone: after.timeZone },
      manager,
    );
    this.logger.log({ ceremonyId: after.id, moved }, 'Visit slots moved with the edition');
  }

  /** One check of a series for generating and previewing: its instants, in order, with at least one and at most the configured number of slots. */
  private seriesBounds(dto: CreateVisitSlotsDto, ceremony: Ceremony): { from: Date; to: Date } {
    const from = this.instantOf(dto.from!, ceremony);
    const to = this.instantOf(dto.to!, ceremony);
    if (to.getTime() <= from.getTime()) throw new BadRequestException(['to must be after from']);
    const count = countGeneratedSlots(from.getTime(), to.getTime(), dto.everyMinutes!, dto.durationMinutes!);
    if (count === 0)
      throw new BadRequestException(['durationMinutes is longer than the time between from and to; no slot fits']);
    if (count > this.config.maxGeneratedSlots) {
      throw new BadRequestException([
        `This would create ${count} slots; at most ${this.config.maxGeneratedSlots} can be generated at once (raise everyMinutes or narrow from/to)`,
      ]);
    }
    return { from, to };
  }

  /** HH:mm is read on the edition's date in its zone; anything else is an ISO instant. */
  private instantOf(value: string, ceremony: Ceremony): Date {
    return WALL_CLOCK.test(value) ? localToInstant(ceremony.date, value, ceremony.timeZone) : new Date(value);
  }

  /** A transaction that changes slots or bookings; the public slot list is refreshed once it ends. */
  private changeSlots<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.slotsCache.invalidating(() => this.transactions.run(work));
  }

  private async requireCeremony(ceremonyId: string): Promise<Ceremony> {
    const ceremony = await this.ceremonies.findById(ceremonyId);
    if (!ceremony) throw editionNotFound();
    return ceremony;
  }
}
