import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DateTime, IANAZone } from 'luxon';
import { EnvironmentError, readEnv } from './env';

export const LOCALES = ['az', 'en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

class CommemorationEnv {
  @IsOptional() @IsString() @MaxLength(200) COMMEMORATION_NAME?: string;
  @IsOptional() @IsString() @MaxLength(200) COMMEMORATION_NAME_AZ?: string;
  @IsOptional() @IsString() @MaxLength(200) COMMEMORATION_NAME_EN?: string;
  @IsOptional() @IsString() @MaxLength(200) COMMEMORATION_NAME_RU?: string;
  @IsOptional()
  @Matches(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'COMMEMORATION_DATE must be MM-DD, e.g. 02-26' })
  COMMEMORATION_DATE?: string;
  @IsOptional() @IsString() DEFAULT_TIME_ZONE?: string;
  @IsOptional() @IsIn(LOCALES) DEFAULT_LOCALE?: Locale;
}

export const commemorationConfig = registerAs('commemoration', () => {
  const env = readEnv(CommemorationEnv);
  const timeZone = env.DEFAULT_TIME_ZONE ?? 'Asia/Baku';
  if (!IANAZone.isValidZone(timeZone)) {
    throw new EnvironmentError(`Invalid environment: DEFAULT_TIME_ZONE "${timeZone}" is not an IANA time zone`);
  }
  const [month, day] = (env.COMMEMORATION_DATE ?? '02-26').split('-').map(Number);
  // 2024 is a leap year, so 02-29 is accepted here and moved to 28 February in other years.
  if (!DateTime.fromObject({ year: 2024, month, day }).isValid) {
    throw new EnvironmentError('Invalid environment: COMMEMORATION_DATE is not a calendar date');
  }
  const name = env.COMMEMORATION_NAME ?? 'Khojaly Remembrance Day';
  // An empty per-language name counts as unset, so a reader never gets an empty name.
  const inLanguage = (value: string | undefined) => value?.trim() || name;
  return {
    /** The fallback name, for readers whose language has none of its own. */
    name,
    /** The name per language: COMMEMORATION_NAME_AZ/_EN/_RU, else COMMEMORATION_NAME. */
    names: {
      az: inLanguage(env.COMMEMORATION_NAME_AZ),
      en: inLanguage(env.COMMEMORATION_NAME_EN),
      ru: inLanguage(env.COMMEMORATION_NAME_RU),
    } as Record<Locale, string>,
    month,
    day,
    defaultTimeZone: timeZone,
    defaultLocale: env.DEFAULT_LOCALE ?? 'az',
  };
});
export type CommemorationConfig = ReturnType<typeof commemorationConfig>;
