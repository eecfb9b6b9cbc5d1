import { createTestApp, TestApp } from './support/app';

/** The public pages over plain HTTP (the browser tests in test/browser drive them in Chromium). */
describe('Public pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DEFAULT_LOCALE: 'az' } });
  });
  afterAll(() => t.close());

  it('should answer 404 with a page in the default language while no edition is published', async () => {
    const response = await t.http.get('/p').expect(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<html lang="az">');
    expect(response.text).toContain('Hələ heç bir mərasim elan olunmayıb.');
  });

  it('should send a visitor who types the bare address to the public pages, keeping a known language', async () => {
    expect((await t.http.get('/').expect(302)).headers.location).toBe('/p');
    expect((await t.http.get('/?lang=ru').expect(302)).headers.location).toBe('/p?lang=ru');
    expect((await t.http.get('/?lang=https://elsewhere.example').expect(302)).headers.location).toBe('/p');
  });

  describe('with a published edition', () => {
    let ceremonyId: string;

    beforeAll(async () => {
      const organizer = await t.auth('organizer');
      const created = await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({
          year: 2027,
          title: 'Remembrance <script>alert(1)</script>',
          startTime: '10:00',
          venue: { name: 'Memorial & park', address: 'Baku' },
        })
        .expect(201);
      ceremonyId = (created.body as { id: string }).id;
      await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
      await t.http
        .post(`/ceremonies/${ceremonyId}/program`)
        .set(organizer)
        .send({ startTime: '10:00', title: 'Minute of silence', speaker: '"Quoted" <b>speaker</b>' })
        .expect(201);
    });

    it('should serve each page in the language asked for, else the default', async () => {
      for (const [path, heading] of [
        ['/p?lang=ru', 'Программа'],
        ['/p/visit?lang=en', 'Book a memorial visit'],
        ['/p/volunteer?lang=az', 'Könüllü olmaq'],
        ['/p/visit?lang=xx', 'Memorialın ziyarəti üçün qeydiyyat'],
      ]) {
        const response = await t.http.get(path).expect(200);
        const lang = new URL(path, 'http://x').searchParams.get('lang');
        expect(response.text).toContain(`<html lang="${lang === 'xx' ? 'az' : lang}">`);
        expect(response.text).toContain(heading);
        expect(response.text).toContain(`data-ceremony-id="${ceremonyId}"`);
      }
    });

    it('should escape what staff typed', async () => {
      const response = await t.http.get('/p?lang=en').expect(200);
      expect(response.text).toContain('Remembrance &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(response.text).toContain('Memorial &amp; park');
      expect(response.text).toContain('&quot;Quoted&quot; &lt;b&gt;speaker&lt;/b&gt;');
      expect(response.text).not.toContain('<script>alert(1)');
    });

    it('should load only its own script under the CSP, with no inline code', async () => {
      const response = await t.http.get('/p/visit?lang=en').expect(200);
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      const scripts = response.text.match(/<script[^>]*>/g) ?? [];
      expect(scripts).toEqual([
        '<script src="/p/assets/pages.js" defer>',
        '<script type="application/json" id="page-texts">',
      ]);
      expect(response.text).not.toMatch(/\son[a-z]+="/);
    });

    it('should keep private-link pages out of caches and search engines', async () => {
      for (const path of ['/p/visit/manage', '/p/volunteer/confirm', '/p/volunteer/me', '/p/subscribe/confirm']) {
        const response = await t.http.get(`${path}?token=${'A'.repeat(43)}&lang=en`).expect(200);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.text).toContain('<meta name="robots" content="noindex, nofollow">');
        // The token is read by the page script; the server never writes it into the page.
        expect(response.text).not.toContain('A'.repeat(43));
      }
    });
  });

  it('should serve the stylesheet and script with their types, and nothing else from the assets folder', async () => {
    expect((await t.http.get('/p/assets/pages.css').expect(200)).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await t.http.get('/p/assets/pages.js').expect(200)).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    await t.http.get('/p/assets/..%2Fpages.service.ts').expect(404);
    await t.http.get('/p/assets/other.js').expect(404);
  });
});
