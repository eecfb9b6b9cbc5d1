import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NoControlCharacters } from '../../common/errors/no-control-characters';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ExportableListQueryDto } from '../../common/pagination';
import { LOCALES, Locale } from '../../config/commemoration.config';
import { BOOKING_STATUSES, BookingStatus } from '../booking.entity';
import type { Booking } from '../booking.entity';
import type { BookingWithSlot } from '../visits.repository';
import { Trim, TrimToUndefined } from '../../common/dto-transforms';
import { IsEmailAddress } from '../../common/email-address';

export class CreateBookingDto {
  @ApiProperty({ example: 'Leyla Aliyeva' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NoControlCharacters()
  name!: string;

  @ApiProperty({ example: 'leyla@example.org' })
  @Trim()
  @IsEmailAddress()
  email!: string;

  @ApiProperty({
    example: 2,
    minimum: 1,
    description: 'People coming, this person included (at most VISIT_MAX_PARTY_SIZE)',
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  partySize!: number;

  @ApiPropertyOptional({ example: '+994 12 555 55 55' })
  @IsOptional()
  @TrimToUndefined()
  @IsString()
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, {
    message: 'phone must be a telephone number',
    context: { code: 'invalid_phone' },
  })
  phone?: string;

  @ApiPropertyOptional({ example: 'School No. 6, class 9A', description: 'School, delegation or organisation' })
  @IsOptional()
  @TrimToUndefined()
  @IsString()
  @MaxLength(200)
  @NoControlCharacters()
  groupName?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ default: false, description: 'Join the waiting list when the slot is full' })
  @IsOptional()
  @IsBoolean()
  waitlist?: boolean;
}

export class BookingCreatedView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['confirmed', 'waitlisted'] }) status!: 'confirmed' | 'waitlisted';
  @ApiProperty({ description: 'Private link to see or cancel the booking' }) manageUrl!: string;
}

class ManagedSlotView {
  @ApiProperty() id!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
}

class ManagedCeremonyView {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() venueName!: string;
  @ApiProperty() venueAddress!: string;
  @ApiProperty() timeZone!: string;
}

/** What the holder of a manage link sees: their own booking only. */
export class ManagedBookingView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: BOOKING_STATUSES }) status!: BookingStatus;
  @ApiProperty() name!: string;
  @ApiProperty() partySize!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) groupName!: string | null;
  @ApiProperty() checkedIn!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Date }) cancelledAt!: Date | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The check-in QR image as a data: URL (confirmed bookings only)',
  })
  checkInQr!: string | null;
  @ApiProperty({ type: ManagedSlotView }) slot!: ManagedSlotView;
  @ApiProperty({ type: ManagedCeremonyView }) ceremony!: ManagedCeremonyView;
}

class ExportedSlotView {
  @ApiProperty() id!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty() capacity!: number;
}

class ExportedCeremonyView {
  @ApiProperty() id!: string;
  @ApiProperty() year!: number;
  @ApiProperty() title!: string;
  @ApiProperty() date!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty() venueName!: string;
  @ApiProperty() venueAddress!: string;
}

class ExportedAuditEntry {
  @ApiProperty() action!: string;
  @ApiProperty() occurredAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Object }) before!: unknown;
  @ApiPropertyOptional({ nullable: true, type: Object }) after!: unknown;
}

/** Everything held about one booking, for its holder (GET /bookings/manage/:token/export). */
export class BookingExportView {
  @ApiProperty() exportedAt!: Date;
  @ApiProperty({
    type: Object,
    description: 'Every stored column of the booking (the hashes of its secret codes aside)',
  })
  booking!: Record<string, unknown>;
  @ApiProperty({ type: ExportedSlotView }) slot!: ExportedSlotView;
  @ApiProperty({ type: ExportedCeremonyView }) ceremony!: ExportedCeremonyView;
  @ApiProperty({ type: [ExportedAuditEntry] }) audit!: ExportedAuditEntry[];
}

export class BookingListQueryDto extends ExportableListQueryDto {
  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  slotId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the name, email or group, any letter case' })
  @IsOptional()
  @TrimToUndefined()
  @IsString()
  @MaxLength(100)
  @NoControlCharacters()
  q?: string;
}

export class BookingView {
  @ApiProperty() id!: string;
  @ApiProperty() slotId!: string;
  @ApiProperty() slotStartsAt!: Date;
  @ApiProperty() slotEndsAt!: Date;
  @ApiProperty({ description: 'Arrival order' }) sequence!: number;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) groupName!: string | null;
  @ApiProperty() partySize!: number;
  @ApiPropertyOptional({ nullable: true, enum: LOCALES }) locale!: Locale | null;
  @ApiProperty({ enum: BOOKING_STATUSES }) status!: BookingStatus;
  @ApiPropertyOptional({ nullable: true, type: Date }) checkedInAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) confirmedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) cancelledAt!: Date | null;
  @ApiProperty() createdAt!: Date;

  static of(booking: Booking, slot: { startsAt: Date; endsAt: Date }): BookingView {
    return {
      id: booking.id,
      slotId: booking.slotId,
      slotStartsAt: slot.startsAt,
      slotEndsAt: slot.endsAt,
      sequence: Number(booking.sequence),
      name: booking.name,
      email: booking.email,
      phone: booking.phone,
      groupName: booking.groupName,
      partySize: booking.partySize,
      locale: booking.locale,
      status: booking.status,
      checkedInAt: booking.checkedInAt,
      confirmedAt: booking.confirmedAt,
      cancelledAt: booking.cancelledAt,
      createdAt: booking.createdAt,
    };
  }

  static ofRow(row: BookingWithSlot): BookingView {
    return BookingView.of(row, { startsAt: row.slotStartsAt, endsAt: row.slotEndsAt });
  }
}

export class BookingPage {
  @ApiProperty({ type: [BookingView] }) items!: BookingView[];
  @ApiProperty() total!: number;
}
