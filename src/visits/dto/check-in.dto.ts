import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../common/dto-transforms';
import { BookingView } from './booking.dto';

export class CheckInByCodeDto {
  @ApiProperty({
    description: "The code from the booking's QR image, or the whole scanned URL (…/console/check-in?code=…)",
    example: 'q3Jk0aZ5b8YxT2mW9cVn1A',
  })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  code!: string;
}

export class CheckInResultView extends BookingView {
  @ApiProperty({
    description: 'True when this scan recorded the arrival; false for a repeat (checkedInAt is the first arrival)',
  })
  firstScan!: boolean;
}

export class DeskSearchQueryDto {
  @ApiProperty({ description: 'Part of a name, email address or group name (at least 2 characters)' })
  @IsString()
  @MaxLength(200)
  q!: string;
}

export class DeskSearchView {
  @ApiProperty({ type: [BookingView] }) items!: BookingView[];
  @ApiProperty() total!: number;
}

export class SlotArrivalsView {
  @ApiProperty() slotId!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'People of confirmed bookings' }) expectedPeople!: number;
  @ApiProperty({ description: 'People of confirmed bookings checked in' }) arrivedPeople!: number;
  @ApiProperty() expectedBookings!: number;
  @ApiProperty() arrivedBookings!: number;
}
