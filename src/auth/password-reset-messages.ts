import { mailHtml, mailText } from '../common/mail-html';
import { escapeHtml } from '../pages/page-layout';

/**
 * The reset mail and the page its link opens. English only: staff accounts carry no language.
 * The page is a plain form that posts to the server (no script), until the staff console replaces it.
 */
export function passwordResetMessage(
  commemorationName: string,
  name: string,
  link: string,
  ttlMinutes: number,
): { subject: string; text: string; html: string } {
  const paragraphs = [
    [`Hello ${name},`],
    [
      `Someone asked to reset the password of your staff account for ${commemorationName}. To choose a new password, open this link:`,
    ],
    [link],
    [
      `The link works once and for ${ttlMinutes} minutes. Every session of your account ends when the new password is set.`,
    ],
    ['If you did not ask for this, ignore this message; your password stays as it is.'],
  ];
  return {
    subject: `${commemorationName}: reset your staff password`,
    text: mailText(paragraphs),
    html: mailHtml('en', paragraphs, [link]),
  };
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}label{display:block;margin-top:1rem;font-weight:600}input{font:inherit;width:100%;padding:.5rem;box-sizing:border-box}button{font:inherit;margin-top:1.5rem;padding:.6rem 1.4rem;border:2px solid #1a1a1a;background:#1a1a1a;color:#fff;border-radius:4px}[role=alert]{color:#a00000}</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
}

export function resetFormPage(token: string, error?: string): string {
  return page(
    'Choose a new password',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="/console/password-reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="200">
<label for="passwordRepeat">Repeat the new password</label>
<input id="passwordRepeat" name="passwordRepeat" type="password" autocomplete="new-password" required minlength="8" maxlength="200">
<button type="submit">Set the new password</button>
</form>`,
  );
}

export function resetDonePage(): string {
  return page(
    'Password changed',
    '<p role="status">Your new password is set. Sign in with it; every earlier session has ended.</p>',
  );
}

export function resetLinkInvalidPage(): string {
  return page(
    'This link cannot be used',
    '<p role="alert">The link is invalid, was already used or has expired. Ask for a new one.</p>',
  );
}
