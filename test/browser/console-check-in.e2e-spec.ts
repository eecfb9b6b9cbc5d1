import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { qrPng } from '../../src/mail/qr-image';
import { TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { writeY4m } from '../support/y4m';
import { accessibilityViolations, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
/** The server's time on the day (09:00 in Baku); slot A runs 10:00–11:00, slot B 11:00–12:00. */
const clock = new FixedClock(new Date('2027-02-26T05:00:00Z'));
/** The desk device's time: during slot A. */
const AT_THE_GATE = new Date('2027-02-26T06:20:00Z');
// pngjs comes with qrcode and has no type declarations of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

/** The code a QR decoder reads from the mailed image. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQR(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
  if (!result) throw new Error('No QR code found in the image');
  return result.data;
}

function qrOf(mail: { parsed: { attachments: Array<{ filename?: string; content: Buffer }> } }): Buffer {
  const qr = mail.parsed.attachments.find((attachment) => attachment.filename === 'qr.png');
  if (!qr) throw new Error('The confirmation mail has no qr.png');
  return qr.content;
}

const ORGANIZER = { email: 'organizer.desk@test.example', password: 'organizer-desk-pass-1' };

interface Booked {
  id: string;
  status: string;
  manageUrl: string;
}

/** The check-in desk on a phone at the gate: a real camera feed (Chromium's fake camera playing the mailed QR image). */
describeWithChromium('Check-in desk in a real browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let videoDir: string;
  let video: string;
  let lateComer: Booked;
  let otherSlotCode: string;
  /** Every script the page requested, in order. */
  const scripts: string[] = [];

  async function book(slotId: string, body: Record<string, unknown>): Promise<Booked> {
    return (
      await t.http
        .post(`/visit-slots/${slotId}/bookings`)
        .send({ partySize: 1, locale: 'en', ...body })
        .expect(201)
    ).body as Booked;
  }

  const count = (text: string) => page.getByText(text, { exact: true }).waitFor();
  const alert = (text: string | RegExp) => page.getByRole('alert').filter({ hasText: text }).waitFor();

  async function findByName(name: string) {
    await page.getByRole('searchbox', { name: 'Name, email or group' }).fill(name);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
  }

  async function controlsSmallerThan(pixels: number): Promise<string[]> {
    return page.evaluate<string[]>(
      `[...document.querySelectorAll('main button, main input, main select, header button, header select')]
        .filter((element) => element.getClientRects().length > 0 && element.getBoundingClientRect().height < ${pixels})
        .map((element) => element.outerHTML.slice(0, 80))`,
    );
  }

  async function noHorizontalScroll(): Promise<boolean> {
    return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    // Chromium opens the camera's file only when a page starts the camera: it starts beside the app, the file comes later.
    videoDir = mkdtempSync(join(tmpdir(), 'commemoration-camera-'));
    video = join(videoDir, 'camera.y4m');
    [{ t, base }, browser] = await Promise.all([
      startServedApp({ clock }),
      launchBrowser({
        args: [
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${video}`,
        ],
        permissions: ['camera'],
      }),
    ]);
    const admin = await t.auth('admin');
    await t.http
      .post('/users')
      .set(admin)
      .send({ ...ORGANIZER, role: 'organizer', name: 'Gate Organizer' })
      .expect(201);
    const ceremony = (
      await t.http
        .post('/ceremonies')
        .set(admin)
        .send({
          year: 2027,
          title: 'Khojaly Remembrance Day 2027',
          startTime: '10:00',
          venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
        })
        .expect(201)
    ).body as { id: string };
    await t.http.post(`/ceremonies/${ceremony.id}/publish`).set(admin).expect(200);
    const slot = async (startsAt: string, endsAt: string, capacity: number) =>
      (
        (
          await t.http
            .post(`/ceremonies/${ceremony.id}/visit-slots`)
            .set(admin)
            .send({ startsAt, endsAt, capacity })
            .expect(201)
        ).body as { id: string }
      ).id;
    const slotA = await slot('2027-02-26T06:00:00Z', '2027-02-26T07:00:00Z', 20);
    const slotB = await slot('2027-02-26T07:00:00Z', '2027-02-26T08:00:00Z', 2);

    await book(slotA, { name: 'Leyla Aliyeva', email: 'leyla@example.org', partySize: 3 });
    await book(slotA, { name: 'Rashad Mammadov', email: 'rashad@example.org', partySize: 2 });
    lateComer = await book(slotA, { name: 'Farid Hasanov', email: 'farid@example.org', partySize: 1 });
    const cancelled = await book(slotA, { name: 'Nigar Karimova', email: 'nigar@example.org', partySize: 4 });
    await t.http.delete(`/bookings/manage/${new URL(cancelled.manageUrl).searchParams.get('token')}`).expect(200);
    await book(slotB, { name: 'Elvin Guliyev', email: 'elvin@example.org', partySize: 2 });
    expect(
      (await book(slotB, { name: 'Sevinj Abbasova', email: 'sevinj@example.org', partySize: 2, waitlist: true }))
        .status,
    ).toBe('waitlisted');

    // The QR image exactly as the visitor received it, played by the fake camera: shown for 1 s, then 1.5 s of
    // white (the phone lowered), looped, so each showing is one scan.
    writeY4m(video, qrOf(await t.smtp.waitForMailTo('leyla@example.org', 20_000)), {
      shownFrames: 10,
      blankFrames: 15,
    });
    otherSlotCode = decodeQr(qrOf(await t.smtp.waitForMailTo('elvin@example.org', 20_000)));
    page = await browser.context.newPage();
    errors = watchBrowserErrors(page);
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.clock.setFixedTime(AT_THE_GATE);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/console/check-in`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('heading', { level: 1, name: 'Check-in desk' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (videoDir) rmSync(videoDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('should find the booking with the camera, check it in with one tap and move the count', async () => {
    await page.getByText('26 February 2027, 10:00–11:00 (Asia/Baku)', { exact: true }).first().waitFor();
    await count('0 of 6 people arrived');
    const loadedBefore = scripts.length;
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await page.getByRole('heading', { level: 2, name: 'Leyla Aliyeva' }).waitFor({ timeout: 20_000 });
    // The QR decoder is fetched when the camera starts, not with the console's first load.
    expect(
      scripts
        .slice(loadedBefore)
        .some((url) => url.includes('/console/assets/') && !scripts.slice(0, loadedBefore).includes(url)),
    ).toBe(true);
    await page.getByText('3 people', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    // The README's picture of the desk: a scanned booking, the camera still running with the code in view.
    const codeInView = `(() => { const canvas = document.querySelector('canvas'); if (!canvas || !canvas.width) return false;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let index = 0; index < pixels.length; index += 4 * 31) if (pixels[index] < 64) return true; return false; })()`;
    await eventually(() => page.evaluate<boolean>(codeInView), Boolean, 10_000, 'the code in the camera preview');
    await screenshot(page, 'check-in-phone');
    const button = page.getByRole('button', { name: 'Check in', exact: true });
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(48);
    await button.click();
    await page.getByRole('status').filter({ hasText: 'Checked in: Leyla Aliyeva, 3 people.' }).waitFor();
    await count('3 of 6 people arrived');
    expect(await page.getByRole('button', { name: 'Check in', exact: true }).count()).toBe(0);
  });

  it('should warn "already checked in" with the time when the same code is scanned again', async () => {
    // The camera is still on: the code shown again after the white frames is a second scan.
    await alert('Already checked in at 26 February 2027, 09:00 (Asia/Baku).');
    expect(await page.getByRole('button', { name: 'Check in', exact: true }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await page.getByRole('button', { name: 'Scan with camera' }).waitFor();
  });

  it('should check in another booking found by name', async () => {
    await findByName('Rashad Mammadov');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Checked in: Rashad Mammadov, 2 people.' }).waitFor();
    await count('5 of 6 people arrived');
  });

  it('should warn for a cancelled booking and offer no check-in', async () => {
    await findByName('Nigar Karimova');
    await alert('Cancelled: this booking was cancelled and cannot be checked in.');
    expect(await page.getByRole('button', { name: 'Check in', exact: true }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('should warn for a booking of another slot (opened by a link with its code) and for one on the waiting list', async () => {
    await page.goto(`${base}/console/check-in?code=${otherSlotCode}`);
    await page.getByRole('heading', { level: 2, name: 'Elvin Guliyev' }).waitFor();
    // The code leaves the address once its booking is shown (a reload does not repeat it).
    expect(new URL(page.url()).searchParams.has('code')).toBe(false);
    await alert('Another slot: this booking is for 26 February 2027, 11:00–12:00 (Asia/Baku), not the current slot.');
    // Another slot is a warning, not a refusal: the person at the gate decides.
    await page.getByRole('button', { name: 'Check in', exact: true }).waitFor();
    await findByName('Sevinj Abbasova');
    await alert('Waiting list: this booking is not confirmed and cannot be checked in.');
    expect(await page.getByRole('button', { name: 'Check in', exact: true }).count()).toBe(0);
  });

  it('should lay the desk out without sideways scrolling at 390, 768 and 1280 px, with no accessibility violations', async () => {
    for (const width of [390, 768, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await noHorizontalScroll()).toBe(true);
      // Targets for a thumb on the phone: every control of the desk and of its header at least 48 px high.
      if (width === 390) expect(await controlsSmallerThan(48)).toEqual([]);
      expect(await accessibilityViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('should fold the navigation behind Menu on a phone and show it on a desktop', async () => {
    const navigation = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await navigation.isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await navigation.getByRole('link', { name: 'Check-in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await menu.click();
    await navigation.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await navigation.waitFor();
    expect(await menu.isVisible()).toBe(false);
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('should follow arrivals recorded elsewhere without a reload', async () => {
    await count('5 of 6 people arrived');
    await t.http
      .post(`/bookings/${lateComer.id}/check-in`)
      .set(await t.auth('organizer'))
      .expect(200);
    await page.getByText('6 of 6 people arrived', { exact: true }).waitFor({ timeout: 20_000 });
  });

  it('should say so when the camera reads a code no booking has', async () => {
    // The fake camera opens its file again on each start: now it shows a code of the right shape that no booking has.
    writeY4m(video, qrPng('AAAAAAAAAAAAAAAAAAAAAA'), { shownFrames: 10, blankFrames: 15 });
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await alert('Unknown code: no booking has this QR code. Find the booking by name.');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Stop camera' }).click();
  });
});
