import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestApp, TestApp, TestAppOptions } from '../support/app';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve(__dirname, '../../test-artifacts/browser');

/** Browser tests need Debian's Chromium; without it they are skipped (with a note), never failed. */
export function describeWithChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(title, body);
    return;
  }
  // eslint-disable-next-line no-console -- the reason for the skip must be visible in the test output
  console.warn(`Browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);
  describe.skip(`${title} (skipped: no Chromium at ${CHROMIUM})`, body);
}

/** A port that was free a moment ago, so PUBLIC_BASE_URL can name it before the app starts listening. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A test app listening on a free loopback port, its public links pointing at itself (pages open what mails link to). */
export async function startServedApp(options: TestAppOptions = {}): Promise<{ t: TestApp; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ ...options, env: { ...(options.env ?? {}), PUBLIC_BASE_URL: base } });
  await t.app.listen(port, '127.0.0.1');
  return { t, base };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** More Chromium switches (a fake camera: `--use-file-for-fake-video-capture=…`). */
  args?: string[];
  /** Permissions granted to every origin (`camera`). */
  permissions?: string[];
}

/** Headless Chromium with a fresh profile and everything that would reach out to the internet turned off. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'commemoration-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
    permissions: options.permissions,
    // A phone-sized window: the pages are meant for visitors on their phones.
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The first link in a mail's text that carries a token. */
export function tokenLink(text: string): { url: string; token: string } {
  for (const [url] of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const token = /(?:[?&]token=|\/manage\/|\/unsubscribe\/)([A-Za-z0-9_-]{20,})/.exec(url)?.[1];
    if (token) return { url, token };
  }
  throw new Error(`No private link found in the mail text:\n${text}`);
}
