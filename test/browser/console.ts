import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe's WCAG 2.1 A and AA rules on the page as it is now; evaluated through DevTools, as the console's CSP refuses inline scripts. */
export async function accessibilityViolations(page: Page): Promise<Array<{ rule: string; targets: string[] }>> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate<{ passes: number; violations: Array<{ rule: string; targets: string[] }> }>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((outcome) => ({
      passes: outcome.passes.length,
      violations: outcome.violations.map((violation) => ({ rule: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) })),
    }))`);
  if (result.passes <= 5)
    throw new Error(`axe passed only ${result.passes} rules: the page is not what the test thinks it is`);
  return result.violations;
}

/** Signs in through the console's own form (English labels; the console opens in the browser's language). */
export async function signInToConsole(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Collects page errors and console errors; a refused request (a 401 of an ended session, a 409 shown to the user) is logged by Chromium and is not a fault. */
export function watchBrowserErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  return errors;
}
