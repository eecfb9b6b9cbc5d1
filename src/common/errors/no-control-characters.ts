import { Matches } from 'class-validator';

/**
 * Refuses C0/C1 control characters other than tab, LF and CR (a pasted NUL, BEL or ESC would reach
 * mails, CSV and logs); line breaks are left to the CSV writer and the mail templates, which quote them.
 */
export function NoControlCharacters(): PropertyDecorator {
  return Matches(/^(?:[\t\n\r]|[^\p{Cc}])*$/u, {
    message: ({ property }) => `${property} must not contain control characters`,
    context: { code: 'invalid_characters' },
  });
}
