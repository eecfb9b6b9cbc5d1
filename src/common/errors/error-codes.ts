/**
 * Stable codes of the `errors` array of a 400, 409 or coded 404 (documented in docs/errors.md). A client keys
 * its own texts on these; the English texts may change, the codes do not.
 */
export const VALIDATION_CODES = [
  'required',
  'not_allowed',
  'not_string',
  'not_integer',
  'not_number',
  'not_boolean',
  'not_array',
  'not_object',
  'too_long',
  'too_short',
  'out_of_range',
  'too_many',
  'too_few',
  'not_unique',
  'invalid_email',
  'invalid_enum',
  'invalid_uuid',
  'invalid_url',
  'invalid_date',
  'invalid_time',
  'invalid_phone',
  'weak_password',
  'invalid_format',
  'invalid_characters',
  'invalid_text',
  'unknown_role',
  'roles_overlap',
  'unknown_variable',
  'unescaped_variable',
  'unknown_helper',
  'invalid_template',
  'invalid',
] as const;

export const REFUSAL_CODES = [
  'slot_full',
  'party_too_large',
  'already_booked',
  'slot_started',
  'already_checked_in',
  'booking_cancelled',
  'booking_waitlisted',
  'slot_has_bookings',
  'capacity_below_booked',
  'already_signed_up',
  'volunteer_withdrawn',
  'role_full',
  'role_capacity_below_filled',
  'role_in_use',
  'role_name_taken',
  'conflict',
] as const;

/** Codes of a 404 that more than one route answers alike (every route that looks up an edition). */
export const NOT_FOUND_CODES = ['edition_not_found'] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type NotFoundCode = (typeof NOT_FOUND_CODES)[number];
export type ErrorCode = ValidationCode | RefusalCode | NotFoundCode;
export const ERROR_CODES: readonly ErrorCode[] = [...VALIDATION_CODES, ...REFUSAL_CODES, ...NOT_FOUND_CODES];

/** Values a text is filled with (`{max}`, `{capacity}`, `{role}`). */
export type ErrorParams = Record<string, string | number>;

/** One entry of `errors`: `field` is the JSON path (`venue.name`, `roleIds[2]`), null for the request as a whole. */
export interface FieldError {
  field: string | null;
  code: ErrorCode;
  message: string;
  params?: ErrorParams;
}

/**
 * class-validator constraint name -> code: the one table. A decorator may name a sharper code in
 * its `context: { code }` (a `matches` that checks a time of day says `invalid_time`).
 * The order is the precedence when one field breaks several rules: the type first.
 */
export const CONSTRAINT_CODES: Readonly<Record<string, ValidationCode>> = {
  isDefined: 'required',
  isNotEmpty: 'required',
  whitelistValidation: 'not_allowed',
  unknownValue: 'not_object',
  nestedValidation: 'not_object',
  isObject: 'not_object',
  isString: 'not_string',
  isInt: 'not_integer',
  isNumber: 'not_number',
  isBoolean: 'not_boolean',
  isArray: 'not_array',
  isLocalizedText: 'invalid_text',
  isUuid: 'invalid_uuid',
  isEmail: 'invalid_email',
  isAcceptablePassword: 'weak_password',
  isIn: 'invalid_enum',
  isEnum: 'invalid_enum',
  isUrl: 'invalid_url',
  isDateString: 'invalid_date',
  isIso8601: 'invalid_date',
  isDate: 'invalid_date',
  isTimeZone: 'invalid_enum',
  matches: 'invalid_format',
  minLength: 'too_short',
  maxLength: 'too_long',
  min: 'out_of_range',
  max: 'out_of_range',
  arrayNotEmpty: 'too_few',
  arrayMinSize: 'too_few',
  arrayMaxSize: 'too_many',
  arrayUnique: 'not_unique',
};

/** Which constraint argument a code's text names (`maxLength(200)` -> `{max: 200}`). */
export const CONSTRAINT_PARAMS: Readonly<Record<string, string>> = {
  maxLength: 'max',
  minLength: 'min',
  max: 'max',
  min: 'min',
  arrayMaxSize: 'max',
  arrayMinSize: 'min',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
