import { createTestApp, TestApp } from './support/app';

interface Operation {
  summary?: string;
  security?: unknown[];
  responses?: Record<string, unknown>;
}

/** Every route the router serves is documented, with a summary, and staff routes are marked as needing a token. */
describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should describe every route of the running app', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes = t.routes.filter(
      (route) => !['HEAD', 'OPTIONS'].includes(route.method) && !route.url.startsWith('/docs') && route.url !== '*',
    );
    expect(routes.length).toBeGreaterThan(20);
    const undocumented = routes.filter(
      (route) => !document.paths[route.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()]?.summary,
    );
    expect(undocumented).toEqual([]);
  });

  it('should mark staff routes as needing a bearer token', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    expect(document.paths['/users'].get.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/auth/login'].post.security).toBeUndefined();
  });
});
