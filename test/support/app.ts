import type { Provider } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import { createTestDatabase, TestDatabase } from './database';
import { SmtpSink } from './smtp-sink';

export const ADMIN = { email: 'admin@test.example', password: 'admin-password-123' };

export interface TestAppOptions {
  /** Extra or overriding environment for this app. */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** Reuse a database (e.g. a second instance); a new one is created otherwise. */
  database?: TestDatabase;
  /** Reuse an SMTP sink; a new one is started otherwise. */
  smtp?: SmtpSink;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Providers added beside the application's (e.g. a test job handler). */
  providers?: Provider[];
}

export interface RouteInfo {
  method: string;
  url: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  /** Every route the HTTP router holds, as it registered them. */
  routes: RouteInfo[];
  http: TestAgent;
  db: TestDatabase;
  smtp: SmtpSink;
  /** A bearer header for a staff user of that role (created on first use). */
  auth(role?: 'admin' | 'organizer'): Promise<{ Authorization: string }>;
  close(): Promise<void>;
}

/** The environment every test app starts from; tests override what they exercise. */
function baseEnv(database: TestDatabase, smtp: SmtpSink): Record<string, string | undefined> {
  return {
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'commemoration-test-data-')),
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PUBLIC_BASE_URL: 'https://commemoration.test',
    MAIL_FROM: 'Commemoration <no-reply@commemoration.test>',
    MAIL_REPLY_TO: 'organizers@commemoration.test',
    PUBLIC_RATE_LIMIT: '0',
    LOGIN_RATE_LIMIT: '0',
    LOGIN_ACCOUNT_RATE_LIMIT: '0',
    // Tests mail one address many times; test/mail-bound.e2e-spec.ts turns the bound on.
    MAIL_RECIPIENT_HOURLY_LIMIT: '0',
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
    MIGRATIONS_RUN: 'true',
    SMTP_POOL_CONNECTIONS: '2',
    // Concurrency tests queue many requests on a small pool; on a loaded 2-core CI machine the
    // wait for a connection can exceed the production default.
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
  };
}

/* eslint-disable no-process-env -- the app reads its configuration from the environment */
function applyEnv(env: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
/* eslint-enable no-process-env */

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const smtp = options.smtp ?? (await new SmtpSink().start());
  applyEnv({ ...baseEnv(db, smtp), ...(options.env ?? {}) });

  let builder = Test.createTestingModule({ imports: [AppModule], providers: options.providers ?? [] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
  const routes: RouteInfo[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
    });
  await configureApp(app);
  try {
    await app.init();
  } catch (error) {
    // A start the app refuses (e.g. a queued job without a handler) still closes what it opened.
    await app.close().catch(() => undefined);
    throw error;
  }
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());

  const tokens = new Map<string, string>();
  const auth = async (role: 'admin' | 'organizer' = 'admin') => {
    let token = tokens.get(role);
    if (!token) {
      const credentials =
        role === 'admin' ? ADMIN : { email: 'organizer@test.example', password: 'organizer-password-123' };
      if (role === 'organizer') {
        const admin = await auth('admin');
        await http
          .post('/users')
          .set(admin)
          .send({ ...credentials, role, name: 'Organizer' });
      }
      const response = await http.post('/auth/login').send(credentials).expect(200);
      token = (response.body as { accessToken: string }).accessToken;
      tokens.set(role, token);
    }
    return { Authorization: `Bearer ${token}` };
  };

  return {
    app,
    routes,
    http,
    db,
    smtp,
    auth,
    async close() {
      await app.close();
      if (!options.smtp) await smtp.stop();
      if (!options.database) await db.drop();
    },
  };
}
