import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import type { ErrorCode, ErrorParams, FieldError } from './error-codes';

interface RefusalOptions {
  field?: string | null;
  params?: ErrorParams;
  /** More the client can act on, at the top level of the body (`fits` of party_too_large). */
  extra?: Record<string, unknown>;
}

function body(
  status: number,
  error: string,
  message: string | string[],
  entries: FieldError[],
  extra: Record<string, unknown> = {},
) {
  return { statusCode: status, message, error, errors: entries, ...extra };
}

function entry(code: ErrorCode, english: string, options: RefusalOptions): FieldError {
  return {
    field: options.field ?? null,
    code,
    message: english,
    ...(options.params ? { params: options.params } : {}),
  };
}

/**
 * A 409 with a code: `message` stays the English sentence it always was, `errors` carries the code
 * (and its English text, translated per Accept-Language by the exception filter).
 */
export function conflict(code: ErrorCode, english: string, options: RefusalOptions = {}): HttpException {
  return new ConflictException(body(409, 'Conflict', english, [entry(code, english, options)], options.extra));
}

/** A 400 a service finds (not a DTO rule): `message` keeps NestJS's array of English strings. */
export function badRequest(
  messages: string[],
  entries: Array<{ code: ErrorCode; english: string } & RefusalOptions>,
): HttpException {
  return new BadRequestException(
    body(
      400,
      'Bad Request',
      messages,
      entries.map((e) => entry(e.code, e.english, e)),
    ),
  );
}

/** The English sentence of a missing edition, as `message` of its 404. */
export const EDITION_NOT_FOUND = 'Edition not found';

/**
 * The one 404 of a missing edition (unknown id, or hidden from the asker): every route answers the
 * same body, code `edition_not_found`, its text in the asker's language.
 */
export function editionNotFound(): HttpException {
  return new NotFoundException(
    body(404, 'Not Found', EDITION_NOT_FOUND, [entry('edition_not_found', EDITION_NOT_FOUND, {})]),
  );
}
