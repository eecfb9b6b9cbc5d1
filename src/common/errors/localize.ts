import type { Locale } from '../../config/commemoration.config';
import { errorText } from './catalog';
import { FieldError, isErrorCode } from './error-codes';

type ErrorBody = { statusCode?: unknown; message?: unknown; errors?: unknown } & Record<string, unknown>;

/** "partySize must not be ..." names its field first; "The shifts ..." names none. */
function fieldOf(message: string): string | null {
  const first = /^([A-Za-z_][\w]*(?:(?:\.[A-Za-z_]\w*)|(?:\[\d+\]))*)[:\s]/.exec(message)?.[1];
  return first && first !== first.charAt(0).toUpperCase() + first.slice(1) ? first : null;
}

/** `errors` of a refusal thrown without a code: one entry per English message, a generic code. */
function derived(body: ErrorBody, status: number): FieldError[] {
  const messages = Array.isArray(body.message) ? body.message.map(String) : [String(body.message ?? '')];
  const code = status === 409 ? 'conflict' : 'invalid';
  return messages.map((message) => ({ field: fieldOf(message), code, message }));
}

/**
 * The body of a 400 or 409 as it is sent: `errors` always present, each `message` in the locale
 * (English keeps the service's own sentence, which may name more than the catalog text does).
 */
export function localizedErrorBody(body: ErrorBody, status: number, locale: Locale): ErrorBody {
  const entries = Array.isArray(body.errors) ? (body.errors as FieldError[]) : derived(body, status);
  const errors = entries.map((entry) => {
    if (locale === 'en' || !isErrorCode(entry.code)) return entry;
    return { ...entry, message: errorText(locale, entry.code, entry.params) };
  });
  return { ...body, errors };
}
