import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import type { SlotWithCounts } from '../visits.repository';
import type { VisitSlot } from '../visit-slot.entity';

/** ISO 8601 instant with an explicit offset (or Z). */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Wall-clock time HH:mm. */
export const WALL_CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const INSTANT_OR_WALL_CLOCK = new RegExp(`${INSTANT.source}|${WALL_CLOCK.source}`);

const MAX_CAPACITY = 100_000;

function generating(dto: CreateVisitSlotsDto): boolean {
  return (
    dto.from !== undefined ||
    dto.to !== undefined ||
    dto.everyMinutes !== undefined ||
    dto.durationMinutes !== undefined
  );
}

/**
 * Either one slot (`startsAt`, `endsAt`) or a series (`from`, `to`, `everyMinutes`,
 * `durationMinutes`). `from`/`to` are ISO instants or HH:mm on the edition's date in its zone;
 * slots start at `from` and every `everyMinutes` after, and the last one ends no later than `to`.
 */
export class CreateVisitSlotsDto {
  @ApiPropertyOptional({
    example: '2027-02-26T10:00:00+04:00',
    description: 'One slot: its start (ISO instant with offset)',
  })
  @ValidateIf((dto: CreateVisitSlotsDto) => !generating(dto))
  @IsString()
  @Matches(INSTANT, {
    message: 'startsAt must be an ISO 8601 instant with an offset, e.g. 2027-02-26T10:00:00+04:00',
    context: { code: 'invalid_date' },
  })
  startsAt?: string;

  @ApiPropertyOptional({
    example: '2027-02-26T10:30:00+04:00',
    description: 'One slot: its end (ISO instant with offset)',
  })
  @ValidateIf((dto: CreateVisitSlotsDto) => !generating(dto))
  @IsString()
  @Matches(INSTANT, {
    message: 'endsAt must be an ISO 8601 instant with an offset, e.g. 2027-02-26T10:30:00+04:00',
    context: { code: 'invalid_date' },
  })
  endsAt?: string;

  @ApiPropertyOptional({
    example: '09:00',
    description: 'Series: first start, HH:mm on the edition date in its time zone, or an ISO instant',
  })
  @ValidateIf(generating)
  @IsString()
  @Matches(INSTANT_OR_WALL_CLOCK, {
    message: 'from must be HH:mm or an ISO 8601 instant with an offset',
    context: { code: 'invalid_date' },
  })
  from?: string;

  @ApiPropertyOptional({
    example: '17:00',
    description: 'Series: no slot ends after this (HH:mm on the edition date, or an ISO instant)',
  })
  @ValidateIf(generating)
  @IsString()
  @Matches(INSTANT_OR_WALL_CLOCK, {
    message: 'to must be HH:mm or an ISO 8601 instant with an offset',
    context: { code: 'invalid_date' },
  })
  to?: string;

  @ApiPropertyOptional({ example: 30, minimum: 5, maximum: 1440, description: 'Series: minutes between slot starts' })
  @ValidateIf(generating)
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(1440)
  everyMinutes?: number;

  @ApiPropertyOptional({
    example: 30,
    minimum: 5,
    maximum: 1440,
    description: 'Series: length of each slot in minutes',
  })
  @ValidateIf(generating)
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(1440)
  durationMinutes?: number;

  @ApiProperty({ example: 50, minimum: 1, description: 'People per slot' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CAPACITY)
  capacity!: number;
}

export class UpdateVisitSlotDto {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'People; never below what is booked. Raising it moves the waiting list up.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CAPACITY)
  capacity?: number;

  @ApiPropertyOptional({ example: '2027-02-26T10:00:00+04:00' })
  @IsOptional()
  @IsString()
  @Matches(INSTANT, {
    message: 'startsAt must be an ISO 8601 instant with an offset',
    context: { code: 'invalid_date' },
  })
  startsAt?: string;

  @ApiPropertyOptional({ example: '2027-02-26T10:30:00+04:00' })
  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: 'endsAt must be an ISO 8601 instant with an offset', context: { code: 'invalid_date' } })
  endsAt?: string;
}

export class VisitSlotView {
  @ApiProperty() id!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ description: 'People' }) capacity!: number;
  @ApiProperty({ description: 'Confirmed people' }) booked!: number;
  @ApiProperty({ description: 'Free places' }) remaining!: number;
  @ApiProperty({ description: 'People on the waiting list' }) waitlisted!: number;

  static of(slot: VisitSlot, waitlisted = 0): VisitSlotView {
    return {
      id: slot.id,
      ceremonyId: slot.ceremonyId,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      capacity: slot.capacity,
      booked: slot.booked,
      remaining: slot.capacity - slot.booked,
      waitlisted,
    };
  }
}

export class VisitSlotSummaryRow extends VisitSlotView {
  @ApiProperty({ description: 'People of confirmed bookings who have arrived' }) checkedIn!: number;
  @ApiProperty() confirmedBookings!: number;
  @ApiProperty() waitlistedBookings!: number;

  static ofCounts(slot: SlotWithCounts): VisitSlotSummaryRow {
    return {
      ...VisitSlotView.of(slot, slot.waitlisted),
      checkedIn: slot.checkedIn,
      confirmedBookings: slot.confirmedBookings,
      waitlistedBookings: slot.waitlistedBookings,
    };
  }
}

export class VisitSlotSummary {
  @ApiProperty({ type: [VisitSlotSummaryRow] }) slots!: VisitSlotSummaryRow[];
  @ApiProperty() capacity!: number;
  @ApiProperty() booked!: number;
  @ApiProperty() checkedIn!: number;
  @ApiProperty() waitlisted!: number;
}

export class PlannedVisitSlot {
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ description: 'People' }) capacity!: number;
  @ApiProperty({ description: 'The edition already has a slot starting then; generating skips it' }) exists!: boolean;
}

/** The slots a generation would make, before anything is written. */
export class VisitSlotPlanView {
  @ApiProperty({ type: [PlannedVisitSlot] }) slots!: PlannedVisitSlot[];
  @ApiProperty({ description: 'Slots generating would create' }) create!: number;
  @ApiProperty({ description: 'Starts the edition already has (skipped)' }) skip!: number;
}
