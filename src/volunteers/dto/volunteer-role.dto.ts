import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';

import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Locale, LOCALES } from '../../config/commemoration.config';
import type { VolunteerRole } from '../volunteer-role.entity';
import {
  IsLocalizedText,
  LocalizedText,
  localizedTextSchema,
  resolveField,
  Translations,
  TRANSLATIONS_SCHEMA,
  translationsView,
} from '../../common/localized-text';

export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CreateVolunteerRoleDto {
  @ApiProperty(localizedTextSchema('Carnations', 200))
  @IsLocalizedText(200)
  name!: LocalizedText;

  @ApiPropertyOptional(localizedTextSchema('Hand out carnations to visitors at the entrance.', 2000))
  @IsOptional()
  @IsLocalizedText(2000, { trim: false, clearable: true })
  description?: LocalizedText;

  @ApiProperty({ minimum: 1, maximum: 10000, example: 20 })
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity!: number;

  @ApiProperty({ example: '09:00', description: 'Local HH:mm on the edition date' })
  @Matches(HH_MM, { message: 'shiftStart must be a time HH:mm', context: { code: 'invalid_time' } })
  shiftStart!: string;

  @ApiProperty({ example: '12:00', description: 'Local HH:mm on the edition date, after shiftStart' })
  @Matches(HH_MM, { message: 'shiftEnd must be a time HH:mm', context: { code: 'invalid_time' } })
  shiftEnd!: string;

  @ApiPropertyOptional({ enum: LOCALES, isArray: true, example: ['en'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(LOCALES.length)
  @IsIn(LOCALES, { each: true })
  requiredLanguages?: string[];
}

export class UpdateVolunteerRoleDto extends PartialType(CreateVolunteerRoleDto) {}

export class VolunteerRoleView {
  @ApiProperty() id!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Volunteers holding a place' }) filled!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty({ description: 'Confirmed volunteers waiting for a place' }) waitlisted!: number;
  @ApiProperty({ example: '09:00' }) shiftStart!: string;
  @ApiProperty({ example: '12:00' }) shiftEnd!: string;
  @ApiProperty({ type: [String] }) requiredLanguages!: string[];
  @ApiProperty(TRANSLATIONS_SCHEMA) translations!: Translations;

  /** The role for a reader of these languages, falling back along the edition's. */
  static of(
    role: VolunteerRole,
    waitlisted: number,
    lang: readonly Locale[] = [],
    editionLocales: readonly Locale[] = [],
  ): VolunteerRoleView {
    return {
      id: role.id,
      ceremonyId: role.ceremonyId,
      name: resolveField(role.name, role.translations, 'name', lang, editionLocales),
      description: resolveField(role.description, role.translations, 'description', lang, editionLocales),
      capacity: role.capacity,
      filled: role.filled,
      remaining: role.capacity - role.filled,
      waitlisted,
      shiftStart: role.shiftStart,
      shiftEnd: role.shiftEnd,
      requiredLanguages: role.requiredLanguages,
      translations: translationsView({ name: role.name, description: role.description }, role.translations),
    };
  }
}
