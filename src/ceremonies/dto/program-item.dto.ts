import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';

import { IsOptional, IsString, Matches } from 'class-validator';
import type { Ceremony } from '../ceremony.entity';
import { ISO_INSTANT_PATTERN, LOCAL_TIME_PATTERN, localToIsoInstant } from '../ceremony-time';
import type { ProgramItem } from '../program-item.entity';
import {
  IsLocalizedText,
  LocalizedText,
  localizedTextSchema,
  resolveField,
  Translations,
  TRANSLATIONS_SCHEMA,
  translationsView,
} from '../../common/localized-text';
import type { Locale } from '../../config/commemoration.config';

const LOCAL_TIME_OR_INSTANT = new RegExp(`${LOCAL_TIME_PATTERN.source}|${ISO_INSTANT_PATTERN.source}`, 'i');
const TIME_DESCRIPTION =
  "Local time HH:mm in the edition's time zone, or an ISO 8601 instant with offset on the edition's date";

export class CreateProgramItemDto {
  @ApiProperty({ example: '10:00', description: TIME_DESCRIPTION })
  @IsString()
  @Matches(LOCAL_TIME_OR_INSTANT, {
    message: 'startTime must be a local time HH:mm or an ISO 8601 instant with offset',
    context: { code: 'invalid_date' },
  })
  startTime!: string;

  @ApiPropertyOptional({ type: String, example: '10:30', description: TIME_DESCRIPTION, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(LOCAL_TIME_OR_INSTANT, {
    message: 'endTime must be a local time HH:mm or an ISO 8601 instant with offset',
    context: { code: 'invalid_date' },
  })
  endTime?: string | null;

  @ApiProperty(localizedTextSchema('Laying of flowers at the memorial', 300))
  @IsLocalizedText(300)
  title!: LocalizedText;

  @ApiPropertyOptional(localizedTextSchema('Survivors of Khojaly', 300, { nullable: true }))
  @IsOptional()
  @IsLocalizedText(300, { clearable: true })
  speaker?: LocalizedText | null;

  @ApiPropertyOptional(localizedTextSchema('Words of remembrance', 10000, { nullable: true }))
  @IsOptional()
  @IsLocalizedText(10000, { trim: false, clearable: true })
  description?: LocalizedText | null;
}

export class UpdateProgramItemDto extends PartialType(CreateProgramItemDto) {}

export class ProgramItemView {
  @ApiProperty() id!: string;
  @ApiProperty() ceremonyId!: string;
  @ApiProperty({ example: '10:00' }) startTime!: string;
  @ApiProperty({ type: String, nullable: true, example: '10:30' }) endTime!: string | null;
  @ApiProperty({ example: '2027-02-26T10:00:00+04:00' }) startsAt!: string;
  @ApiProperty({ type: String, nullable: true }) endsAt!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) speaker!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty(TRANSLATIONS_SCHEMA) translations!: Translations;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  /** The item for a reader of these languages, falling back along the edition's. */
  static of(
    item: ProgramItem,
    ceremony: Pick<Ceremony, 'date' | 'timeZone' | 'locales'>,
    lang: readonly Locale[] = [],
  ): ProgramItemView {
    const text = <T extends string | null>(plain: T, field: string) =>
      resolveField(plain, item.translations, field, lang, ceremony.locales);
    return {
      id: item.id,
      ceremonyId: item.ceremonyId,
      startTime: item.startTime,
      endTime: item.endTime,
      startsAt: localToIsoInstant(ceremony.date, item.startTime, ceremony.timeZone),
      endsAt: item.endTime ? localToIsoInstant(ceremony.date, item.endTime, ceremony.timeZone) : null,
      title: text(item.title, 'title'),
      speaker: text(item.speaker, 'speaker'),
      description: text(item.description, 'description'),
      translations: translationsView(
        { title: item.title, speaker: item.speaker, description: item.description },
        item.translations,
      ),
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    };
  }
}

export class ProgramPage {
  @ApiProperty({ type: [ProgramItemView] }) items!: ProgramItemView[];
  @ApiProperty() total!: number;
}
