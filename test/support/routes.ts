import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC, ROLES } from '../../src/auth/auth.decorators';
import { JobsQueue } from '../../src/jobs/jobs.queue';
import type { TestApp } from './app';

export interface HandlerInfo {
  method: string;
  path: string;
  isPublic: boolean;
  roles: string[] | undefined;
}

/** Reads what each controller method declares (path, method, @Public, @Roles). */
export function declaredHandlers(t: TestApp): HandlerInfo[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const handlers: HandlerInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const full = `/${[prefix, path]
        .map((part) => part.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/')}`;
      handlers.push({
        method: RequestMethod[method],
        path: full,
        isPublic: Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, metatype])),
        roles: reflector.getAllAndOverride<string[]>(ROLES, [handler as never, metatype]),
      });
    }
  }
  return handlers;
}

/** The declared handlers, checked against the router: every route it holds must be accounted for. */
export function routerHandlers(t: TestApp): HandlerInfo[] {
  const declared = declaredHandlers(t);
  const routerRoutes = t.routes.filter((route) => route.method !== 'HEAD' && !route.url.startsWith('/docs'));
  const missing = routerRoutes.filter(
    (route) => !declared.some((handler) => handler.method === route.method && handler.path === route.url),
  );
  if (missing.length > 0)
    throw new Error(
      `Routes without a declared handler: ${missing.map((route) => `${route.method} ${route.url}`).join(', ')}`,
    );
  return declared.filter((handler) =>
    routerRoutes.some((route) => route.method === handler.method && route.url === handler.path),
  );
}

/**
 * Row count of every table of the public schema (exact: count(*), not statistics). The mail
 * job queue is run first: its rows are deleted once done, so only what requests stored is compared
 * (a mail a request should not have written shows in the SMTP sink instead).
 */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  await t.app.get(JobsQueue).runner.settled();
  const tables = await t.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [row] = await t.db.query<{ count: string }>(`SELECT count(*) AS count FROM "${table}"`);
    counts[table] = Number(row.count);
  }
  return counts;
}
