import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CeremonyView } from '../../ceremonies/dto/ceremony.dto';
import { RetentionView } from '../../retention/dto/retention.dto';
import { ReminderRunView } from '../../reminders/dto/reminder-run.dto';
import { VisitSlotSummary } from '../../visits/dto/visit-slot.dto';
import { VolunteerRoleView } from '../../volunteers/dto/volunteer-role.dto';

export class OverviewQueryDto {
  @ApiPropertyOptional({ description: 'An edition; the current one when omitted' })
  @IsOptional()
  @IsUUID()
  ceremonyId?: string;
}

export class SubscriberCounts {
  @ApiProperty() confirmed!: number;
  @ApiProperty() pending!: number;
  @ApiProperty() unsubscribed!: number;
}

export class OverviewView {
  @ApiProperty({ type: CeremonyView }) edition!: CeremonyView;
  @ApiProperty({
    description: "Whole days from today to the edition's date, both in the edition's zone; negative once it has passed",
  })
  daysUntil!: number;
  @ApiProperty({ type: VisitSlotSummary, description: 'Seats booked, free, checked in and waitlisted per slot' })
  visits!: VisitSlotSummary;
  @ApiProperty({ type: [VolunteerRoleView], description: 'Volunteers per role' }) volunteerRoles!: VolunteerRoleView[];
  @ApiProperty({ type: SubscriberCounts }) subscribers!: SubscriberCounts;
  @ApiProperty({ type: [ReminderRunView], description: 'The state of each reminder run of the edition' })
  reminderRuns!: ReminderRunView[];
  @ApiProperty({ type: RetentionView, description: "When the edition's personal data is erased, and what was erased" })
  retention!: RetentionView;
}
