import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp, TestApp } from './support/app';

const ROOT = resolve(__dirname, '..');
const GENERATED = join(ROOT, 'console/src/api/schema.ts');
// `npm run console:api` runs this file with CONSOLE_API_WRITE=1 to rewrite the committed client.
// eslint-disable-next-line no-process-env -- a switch of the generator, not app configuration
const WRITE = process.env.CONSOLE_API_WRITE === '1';

/** The console's API client is generated from the app's own OpenAPI document and must not drift from it. */
describe('Console API client', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should match the types generated from the current OpenAPI document (run `npm run console:api` when it does not)', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body as object;
    const documentPath = join(mkdtempSync(join(tmpdir(), 'console-api-')), 'openapi.json');
    writeFileSync(documentPath, JSON.stringify(document));
    const generated = execFileSync(process.execPath, [join(ROOT, 'console/scripts/api.mjs'), documentPath], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (WRITE) writeFileSync(GENERATED, generated);
    expect(existsSync(GENERATED)).toBe(true);
    expect(readFileSync(GENERATED, 'utf8') === generated).toBe(true);
  });

  it('should describe the response bodies the console reads', async () => {
    const source = readFileSync(GENERATED, 'utf8');
    for (const schema of ['OverviewView', 'AuditPage', 'SessionView', 'MeView'])
      expect(source).toContain(`${schema}: {`);
  });
});
