import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Locale, LOCALES } from '../../config/commemoration.config';
import { Ceremony, CEREMONY_STATUSES, CeremonyStatus } from '../ceremony.entity';
import { LOCAL_TIME_PATTERN, localToIsoInstant } from '../ceremony-time';
import {
  IsLocalizedText,
  LocalizedText,
  localizedTextSchema,
  resolveField,
  Translations,
  TRANSLATIONS_SCHEMA,
  translationsView,
} from '../../common/localized-text';

export class VenueDto {
  @ApiProperty(localizedTextSchema('Khojaly Genocide Memorial', 300))
  @IsLocalizedText(300)
  name!: LocalizedText;

  @ApiProperty(localizedTextSchema('Khatai district, Baku', 500))
  @IsLocalizedText(500)
  address!: LocalizedText;

  @ApiPropertyOptional({ type: Number, example: 40.3953, minimum: -90, maximum: 90, nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number | null;

  @ApiPropertyOptional({ type: Number, example: 49.8822, minimum: -180, maximum: 180, nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number | null;
}

export class CreateCeremonyDto {
  @ApiProperty({ example: 2027, minimum: 1992, maximum: 2200 })
  @IsInt()
  @Min(1992)
  @Max(2200)
  year!: number;

  @ApiProperty(localizedTextSchema('Khojaly Remembrance Day 2027', 300))
  @IsLocalizedText(300)
  title!: LocalizedText;

  @ApiPropertyOptional({
    example: '2027-02-26',
    description: 'YYYY-MM-DD within `year`; defaults to the commemoration date of that year',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'date must be a calendar date written YYYY-MM-DD',
    context: { code: 'invalid_date' },
  })
  date?: string;

  @ApiProperty({ example: '10:00', description: 'Local start time (HH:mm) in `timeZone`' })
  @IsString()
  @Matches(LOCAL_TIME_PATTERN, {
    message: 'startTime must be a local time written HH:mm (00:00 to 23:59)',
    context: { code: 'invalid_time' },
  })
  startTime!: string;

  @ApiPropertyOptional({ example: 'Asia/Baku', description: 'IANA time zone; defaults to DEFAULT_TIME_ZONE' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiProperty({ type: VenueDto })
  @ValidateNested()
  @Type(() => VenueDto)
  venue!: VenueDto;

  @ApiPropertyOptional(
    localizedTextSchema('In memory of the victims of the Khojaly genocide.', 10000, { nullable: true }),
  )
  @IsOptional()
  @IsLocalizedText(10000, { trim: false, clearable: true })
  description?: LocalizedText | null;

  @ApiPropertyOptional({
    enum: LOCALES,
    isArray: true,
    example: ['az', 'en', 'ru'],
    description: 'Languages offered; defaults to all',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(LOCALES, { each: true, message: `locales may contain only ${LOCALES.join(', ')}` })
  locales?: Locale[];
}

/** Any subset of the creation fields; `venue`, when given, replaces the whole venue. */
export class UpdateCeremonyDto extends PartialType(CreateCeremonyDto) {}

export class VenueView {
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ type: Number, nullable: true }) lat!: number | null;
  @ApiProperty({ type: Number, nullable: true }) lng!: number | null;
}

export class CeremonyView {
  @ApiProperty() id!: string;
  @ApiProperty() year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: '2027-02-26' }) date!: string;
  @ApiProperty({ example: '10:00' }) startTime!: string;
  @ApiProperty({ example: 'Asia/Baku' }) timeZone!: string;
  @ApiProperty({ example: '2027-02-26T10:00:00+04:00', description: 'The start as an instant with the zone offset' })
  startsAt!: string;
  @ApiProperty({ type: VenueView }) venue!: VenueView;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: LOCALES, isArray: true }) locales!: Locale[];
  @ApiProperty({ enum: CEREMONY_STATUSES }) status!: CeremonyStatus;
  @ApiProperty(TRANSLATIONS_SCHEMA) translations!: Translations;
  @ApiProperty({ type: Date, nullable: true }) publishedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  /** The edition for a reader of these languages (none: the edition's first language). */
  static of(ceremony: Ceremony, lang: readonly Locale[] = []): CeremonyView {
    const text = <T extends string | null>(plain: T, field: string) =>
      resolveField(plain, ceremony.translations, field, lang, ceremony.locales);
    return {
      id: ceremony.id,
      year: ceremony.year,
      title: text(ceremony.title, 'title'),
      date: ceremony.date,
      startTime: ceremony.startTime,
      timeZone: ceremony.timeZone,
      startsAt: localToIsoInstant(ceremony.date, ceremony.startTime, ceremony.timeZone),
      venue: {
        name: text(ceremony.venueName, 'venue.name'),
        address: text(ceremony.venueAddress, 'venue.address'),
        lat: ceremony.venueLat,
        lng: ceremony.venueLng,
      },
      description: text(ceremony.description, 'description'),
      locales: ceremony.locales,
      status: ceremony.status,
      translations: translationsView(
        {
          title: ceremony.title,
          description: ceremony.description,
          'venue.name': ceremony.venueName,
          'venue.address': ceremony.venueAddress,
        },
        ceremony.translations,
      ),
      publishedAt: ceremony.publishedAt,
      createdAt: ceremony.createdAt,
      updatedAt: ceremony.updatedAt,
    };
  }
}

export class CeremonyDefaultsQueryDto {
  @ApiPropertyOptional({
    example: 2027,
    minimum: 1992,
    maximum: 2200,
    type: 'integer',
    description: 'The year to propose; defaults to the year after the newest edition, else this year',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1992)
  @Max(2200)
  year?: number;
}

/** What a new edition gets when the organizer leaves a field out, from configuration (COMMEMORATION_DATE, DEFAULT_TIME_ZONE). */
export class CeremonyDefaultsView {
  @ApiProperty({ example: 2027 }) year!: number;
  @ApiProperty({ example: '2027-02-26', description: 'The commemoration date of `year`' }) date!: string;
  @ApiProperty({ example: 'Asia/Baku' }) timeZone!: string;
  @ApiProperty({ enum: LOCALES, isArray: true }) locales!: Locale[];
}

export class CeremonyPage {
  @ApiProperty({ type: [CeremonyView] }) items!: CeremonyView[];
  @ApiProperty() total!: number;
}
