import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { REMINDER_AUDIENCES, ReminderAudience, ReminderRule } from '../reminder-rule.entity';

export class ReminderRuleDto {
  @ApiPropertyOptional({ description: 'Keep to update an existing rule; omit to add one' })
  @IsOptional()
  @IsUUID()
  id?: string;

  @ApiProperty({ example: 'One week before' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 7, minimum: 0, maximum: 366, description: 'Calendar days before the edition date' })
  @IsInt()
  @Min(0)
  @Max(366)
  offsetDays!: number;

  @ApiProperty({ example: '10:00', description: 'Local time in the edition time zone (HH:mm)' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'sendTime must be a time of day as HH:mm', context: { code: 'invalid_time' } })
  sendTime!: string;

  @ApiProperty({ enum: REMINDER_AUDIENCES })
  @IsIn(REMINDER_AUDIENCES)
  audience!: ReminderAudience;

  @ApiProperty({ example: 'reminder-7' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  templateKey!: string;

  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
}

export class ReminderRuleView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() offsetDays!: number;
  @ApiProperty() sendTime!: string;
  @ApiProperty({ enum: REMINDER_AUDIENCES }) audience!: ReminderAudience;
  @ApiProperty() templateKey!: string;
  @ApiProperty() enabled!: boolean;

  static of(rule: ReminderRule): ReminderRuleView {
    return { id: rule.id, name: rule.name, offsetDays: rule.offsetDays, sendTime: rule.sendTime, audience: rule.audience, templateKey: rule.templateKey, enabled: rule.enabled };
  }
}
