import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, Max, Min } from 'class-validator';

export class RunsQueryDto {
  @ApiPropertyOptional({
    example: 2027,
    description: 'Edition year; defaults to every edition that has runs or is upcoming',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1992)
  @Max(2200)
  year?: number;
}

export class DryRunQueryDto {
  @ApiProperty({ example: '2027-02-25T06:00:00Z', description: 'The instant to evaluate' })
  @IsDateString({ strict: true })
  at!: string;
}

export const RUN_VIEW_STATUSES = ['scheduled', 'due', 'fired', 'missed', 'skipped'] as const;

export class ReminderRunView {
  @ApiProperty() ruleId!: string;
  @ApiProperty() ruleName!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'When the reminder is (or was) due' }) dueAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) firedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) mailingId!: string | null;
  @ApiProperty({
    enum: RUN_VIEW_STATUSES,
    description: 'scheduled: not yet due; due: due and about to be recorded; fired/missed/skipped: recorded',
  })
  status!: (typeof RUN_VIEW_STATUSES)[number];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Delivery counts of the mailing: total, queued, sent, failed, skipped',
  })
  counts?: Record<string, number>;
}

export class DryRunItem {
  @ApiProperty() ruleId!: string;
  @ApiProperty() ruleName!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty() year!: number;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ enum: ['fire', 'missed', 'skipped'] }) action!: 'fire' | 'missed' | 'skipped';
}
