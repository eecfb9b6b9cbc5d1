import { applyDecorators } from '@nestjs/common';
import { IsEmail, Matches, MaxLength } from 'class-validator';

/** RFC 5321: a path holds at most 256 octets, so an address at most 254 characters. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * The one check of every email address the service accepts. `IsEmail` alone lets a quoted local
 * part carry CR, LF, tab or DEL ("a\r\nBcc: x"@example.org), which would end up in mail headers,
 * logs and CSV; every C0 and C1 control character is refused first.
 */
export function IsEmailAddress(options: { requireTld?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    Matches(/^[^\p{Cc}]*$/u, {
      message: ({ property }) => `${property} must not contain control characters`,
      context: { code: 'invalid_characters' },
    }),
    IsEmail({ require_tld: options.requireTld ?? true }),
    MaxLength(MAX_EMAIL_LENGTH),
  );
}
