import { Matches } from 'class-validator';

/**
 * Refuses C0/C1 control characters (a pasted NUL, ESC or BEL would reach mails, CSV and logs);
 * `multiline` lets a free text keep its line breaks and tabs.
 */
export function NoControlCharacters(options: { multiline?: boolean } = {}): PropertyDecorator {
  const pattern = options.multiline ? /^(?:[\t\n\r]|[^\p{Cc}])*$/u : /^[^\p{Cc}]*$/u;
  return Matches(pattern, { message: ({ property }) => `${property} must not contain control characters`, context: { code: 'invalid_characters' } });
}
