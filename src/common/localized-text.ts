import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, registerDecorator, ValidationArguments } from 'class-validator';
import { Locale, LOCALES } from '../config/commemoration.config';
import { ListQueryDto } from './pagination';

/** One text per language; at least one entry. */
export type LocalizedMap = Partial<Record<Locale, string>>;

/** What an organizer types: the same text in every language, or one per language. */
export type LocalizedText = string | LocalizedMap;

/**
 * The per-language maps of one record, keyed by the field's JSON path (`title`, `venue.name`).
 * A field typed as a plain string has no entry: its column holds the text of every language.
 */
export type Translations = Record<string, LocalizedMap>;

function isKnownLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text for a reader: the first of their languages the map has, else along the edition's
 * languages, else any entry present. Never empty when the map has an entry.
 */
export function resolve(
  text: LocalizedText,
  lang: readonly Locale[] | Locale | null | undefined,
  fallbacks: readonly Locale[] = [],
): string {
  if (typeof text === 'string') return text;
  const wanted = lang === null || lang === undefined ? [] : typeof lang === 'string' ? [lang] : lang;
  for (const locale of [...wanted, ...fallbacks, ...LOCALES]) {
    const value = text[locale];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return '';
}

/** A field's text for a reader: its map when it has one, else the stored plain text. */
export function resolveField<T extends string | null>(
  plain: T,
  translations: Translations | null | undefined,
  field: string,
  lang: readonly Locale[] | Locale | null | undefined,
  fallbacks: readonly Locale[],
): T | string {
  const map = translations?.[field];
  if (plain === null || !map) return plain;
  return resolve(map, lang, fallbacks) || plain;
}

/** The whole map of each field present: a plain text reads as that text in every language. */
export function translationsView(
  plain: Record<string, string | null>,
  translations: Translations | null | undefined,
): Translations {
  const view: Translations = {};
  for (const [field, value] of Object.entries(plain)) {
    if (value === null) continue;
    view[field] = translations?.[field] ?? Object.fromEntries(LOCALES.map((locale) => [locale, value]));
  }
  return view;
}

/**
 * Splits what was typed into the plain column value and the map to keep: a plain string is
 * stored as is (no map), a map is kept whole and its column holds the edition's default text.
 */
export function splitText(
  text: LocalizedText,
  fallbacks: readonly Locale[],
): { plain: string; map: LocalizedMap | null } {
  if (typeof text === 'string') return { plain: text, map: null };
  return { plain: resolve(text, [], fallbacks), map: { ...text } };
}

/** Writes (or, for a plain string or null, removes) one field's map. */
export function withField(translations: Translations, field: string, map: LocalizedMap | null): Translations {
  const next = { ...translations };
  if (map) next[field] = map;
  else delete next[field];
  return next;
}

/**
 * One localized field of a write: what was typed (a plain string, a map, null or "" to clear)
 * or, when absent, what is stored, whose plain column follows the edition's first language.
 */
export function applyText<Nullable extends boolean>(
  field: string,
  given: LocalizedText | null | undefined,
  currentPlain: string | null | undefined,
  translations: Translations,
  locales: readonly Locale[],
  nullable: Nullable,
): { plain: Nullable extends true ? string | null : string; translations: Translations } {
  type Plain = Nullable extends true ? string | null : string;
  if (given === undefined) {
    const map = translations[field];
    return { plain: (map ? splitText(map, locales).plain : (currentPlain ?? null)) as Plain, translations };
  }
  if (given === null || given === '') {
    return { plain: (nullable ? null : '') as Plain, translations: withField(translations, field, null) };
  }
  const { plain, map } = splitText(given, locales);
  return { plain: plain as Plain, translations: withField(translations, field, map) };
}

/** Applies a change to every text of a localized value (e.g. next year's title). */
export function mapText(text: LocalizedMap, change: (value: string) => string): LocalizedMap {
  return Object.fromEntries(
    Object.entries(text).map(([locale, value]) => [locale, change(value as string)]),
  ) as LocalizedMap;
}

/** What is wrong with a localized value, naming the path (`title.ru`), or null when it is fine. */
export function localizedTextProblem(
  path: string,
  value: unknown,
  maxLength: number,
  allowEmptyString = false,
): string | null {
  if (allowEmptyString && value === '') return null;
  const textProblem = (at: string, text: unknown): string | null => {
    if (typeof text !== 'string') return `${at} must be a string`;
    if (text.length === 0) return `${at} must not be empty`;
    if (text.length > maxLength) return `${at} must be at most ${maxLength} characters long`;
    return null;
  };
  if (typeof value === 'string') return textProblem(path, value);
  if (!isPlainObject(value))
    return `${path} must be a string or an object with texts per language (${LOCALES.join(', ')})`;
  const keys = Object.keys(value);
  const unknown = keys.find((key) => !isKnownLocale(key));
  if (unknown !== undefined) return `${path}.${unknown} is not a language: use ${LOCALES.join(', ')}`;
  if (keys.length === 0) return `${path} must have a text in at least one language (${LOCALES.join(', ')})`;
  for (const key of keys) {
    const problem = textProblem(`${path}.${key}`, value[key]);
    if (problem) return problem;
  }
  return null;
}

/**
 * The first refused entry of a per-language map (`{ru: ''}`, `{ru: <too long>}`, `{fr: …}`), so the
 * error names that language's path (`title.ru`) and a client marks that one input; null otherwise.
 */
export function localizedEntryProblem(
  value: unknown,
  maxLength: number,
): { key: string; code: 'required' | 'not_string' | 'too_long' | 'not_allowed'; max?: number } | null {
  if (!isPlainObject(value)) return null;
  for (const [key, text] of Object.entries(value)) {
    if (!isKnownLocale(key)) return { key, code: 'not_allowed' };
    if (typeof text !== 'string') return { key, code: 'not_string' };
    if (text.trim().length === 0) return { key, code: 'required' };
    if (text.length > maxLength) return { key, code: 'too_long', max: maxLength };
  }
  return null;
}

function trimmed(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, text]) => [key, typeof text === 'string' ? text.trim() : text]),
    );
  return value;
}

/**
 * A text field that takes a plain string or `{az?, en?, ru?}`; each entry is trimmed and must be
 * non-empty and at most `maxLength` long. Null and absence are left to IsOptional; `clearable`
 * fields also take "" (no text), as they did before they had languages.
 */
export function IsLocalizedText(
  maxLength: number,
  options: { trim?: boolean; clearable?: boolean } = {},
): PropertyDecorator {
  const clearable = options.clearable ?? false;
  const validator: PropertyDecorator = (target, propertyName) => {
    registerDecorator({
      name: 'isLocalizedText',
      target: target.constructor,
      propertyName: propertyName as string,
      // The maximum travels with the rule, so the `errors` entry of one language can say it.
      constraints: [maxLength],
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          localizedTextProblem(args.property, value, maxLength, clearable) === null,
        defaultMessage: (args: ValidationArguments) =>
          localizedTextProblem(args.property, args.value, maxLength, clearable) ?? `${args.property} is not valid`,
      },
    });
  };
  return options.trim === false
    ? validator
    : applyDecorators(
        Transform(({ value }: { value: unknown }) => trimmed(value)),
        validator,
      );
}

/** The OpenAPI schema of a localized input field. */
export function localizedTextSchema(
  example: string,
  maxLength: number,
  extra: Partial<ApiPropertyOptions> = {},
): ApiPropertyOptions {
  return {
    description: `A plain string (the same in every language) or one text per language {az?, en?, ru?}, each at most ${maxLength} characters`,
    oneOf: [
      { type: 'string', maxLength, example },
      {
        type: 'object',
        properties: Object.fromEntries(LOCALES.map((locale) => [locale, { type: 'string', maxLength }])),
        additionalProperties: false,
        minProperties: 1,
      },
    ],
    ...extra,
  } as ApiPropertyOptions;
}

/** The OpenAPI schema of `translations` in a view. */
export const TRANSLATIONS_SCHEMA = {
  type: 'object',
  description: 'Every localized field present, by JSON path (`title`, `venue.name`), with its text per language',
  additionalProperties: {
    type: 'object',
    properties: Object.fromEntries(LOCALES.map((locale) => [locale, { type: 'string' }])),
  },
} as ApiPropertyOptions;

/** The primary subtag of a language tag when it is one the product speaks (`ru-RU` → `ru`). */
function localeOfTag(tag: string): Locale | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isKnownLocale(primary) ? primary : null;
}

/** Languages from an Accept-Language header that the product speaks, best first (q=0 means "not this"). */
export function acceptedLocales(header: string | null | undefined): Locale[] {
  if (!header) return [];
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)).find(Boolean);
      return { locale: localeOfTag(tag), q: q ? Number(q[1]) : 1, index };
    })
    .filter(
      (entry): entry is { locale: Locale; q: number; index: number } =>
        entry.locale !== null && Number.isFinite(entry.q) && entry.q > 0,
    )
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return [...new Set(ranked.map((entry) => entry.locale))];
}

/**
 * The reader's languages, best first: `?lang=` when it names one the product speaks, else
 * Accept-Language. Empty means "no preference": texts then follow the edition's first language.
 */
export function readerLanguages(lang: unknown, acceptLanguage: string | string[] | null | undefined): Locale[] {
  if (typeof lang === 'string') {
    const locale = localeOfTag(lang);
    if (locale) return [locale];
  }
  return acceptedLocales(Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage);
}

/** The reader's languages from `?lang=` and Accept-Language (see readerLanguages). */
export const ReaderLanguages = createParamDecorator((_data: unknown, context: ExecutionContext): Locale[] => {
  const request = context
    .switchToHttp()
    .getRequest<{ query?: Record<string, unknown>; headers: Record<string, string | string[] | undefined> }>();
  return readerLanguages(request.query?.lang, request.headers['accept-language']);
});

/** `?lang=` on a route that takes no other query parameters. */
export class LangQueryDto {
  @ApiPropertyOptional({
    example: 'en',
    description: "Language of the texts (az, en, ru); else Accept-Language, else the edition's first language",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  lang?: string;
}

/** Paging plus `?lang=`. */
export class LocalizedListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    example: 'en',
    description: "Language of the texts (az, en, ru); else Accept-Language, else the edition's first language",
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  lang?: string;
}
