import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
  ValidateNested,
} from 'class-validator';
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
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'sendTime must be a time of day as HH:mm',
    context: { code: 'invalid_time' },
  })
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

/** The PUT body (an array) as one object, so each refusal names its rule: `rules[1].sendTime`. */
export class ReminderRulesBody {
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReminderRuleDto)
  rules!: ReminderRuleDto[];
}

export interface NextDue {
  dueAt: Date;
  timeZone: string;
  year: number;
}

export class ReminderRuleView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() offsetDays!: number;
  @ApiProperty() sendTime!: string;
  @ApiProperty({ enum: REMINDER_AUDIENCES }) audience!: ReminderAudience;
  @ApiProperty() templateKey!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'When the scheduler sends this rule next: the earliest edition without a run yet; null when disabled or no published edition is ahead',
  })
  nextDueAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The time zone of that edition (its sendTime is local to it)',
    example: 'Asia/Baku',
  })
  nextDueTimeZone!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The year of that edition' })
  nextDueYear!: number | null;

  static of(rule: ReminderRule, next: NextDue | null = null): ReminderRuleView {
    return {
      id: rule.id,
      name: rule.name,
      offsetDays: rule.offsetDays,
      sendTime: rule.sendTime,
      audience: rule.audience,
      templateKey: rule.templateKey,
      enabled: rule.enabled,
      nextDueAt: next?.dueAt.toISOString() ?? null,
      nextDueTimeZone: next?.timeZone ?? null,
      nextDueYear: next?.year ?? null,
    };
  }
}
