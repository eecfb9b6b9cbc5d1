import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { ListQueryDto } from '../src/common/pagination';
import { createTestApp, TestApp } from './support/app';
import { routerHandlers } from './support/routes';

/** Each bad paging input and the field the 400 must name. */
const BAD_INPUTS: Array<[query: Record<string, string>, field: 'limit' | 'offset']> = [
  [{ limit: '0' }, 'limit'],
  [{ limit: '501' }, 'limit'],
  [{ limit: 'abc' }, 'limit'],
  [{ offset: '-1' }, 'offset'],
  [{ offset: '1e30' }, 'offset'],
  [{ offset: '99999999999999999999' }, 'offset'],
];

/** GET routes whose @Query() DTO is the shared list DTO or extends it, read from the controllers' metadata. */
function listRoutes(t: TestApp): string[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const paths: string[] = [];
  for (const { instance, metatype } of discovery.getControllers()) {
    if (!instance || !metatype) continue;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<
        string,
        { index: number }
      >;
      const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as unknown[];
      const queryTypes = Object.entries(args)
        .filter(([key]) => Number(key.split(':')[0]) === RouteParamtypes.QUERY)
        .map(([, arg]) => types[arg.index]);
      if (
        !queryTypes.some(
          (type) => typeof type === 'function' && (type === ListQueryDto || type.prototype instanceof ListQueryDto),
        )
      )
        continue;
      const path = String(Reflect.getMetadata(PATH_METADATA, handler));
      paths.push(
        `/${[prefix, path]
          .map((part) => part.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`,
      );
    }
  }
  return paths.sort();
}

describe('Paging bounds on every list route', () => {
  let t: TestApp;
  let routes: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const served = new Set(
      routerHandlers(t)
        .filter((handler) => handler.method === 'GET')
        .map((handler) => handler.path),
    );
    routes = listRoutes(t).filter((path) => served.has(path));
  });
  afterAll(() => t.close());

  it('should find every list route of the router', () => {
    expect(routes).toEqual(
      expect.arrayContaining([
        '/audit-log',
        '/ceremonies',
        '/ceremonies/:id/bookings',
        '/ceremonies/:id/program',
        '/ceremonies/:id/volunteers',
        '/mailings',
        '/mailings/:id/deliveries',
        '/users',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(8);
  });

  it('should answer 400 naming the field for every bad limit and offset on every list route', async () => {
    const admin = await t.auth('admin');
    const answers: string[] = [];
    for (const route of routes) {
      const url = route.replace(/:[A-Za-z]+/g, () => randomUUID());
      for (const [query, field] of BAD_INPUTS) {
        const response = await t.http.get(url).query(query).set(admin);
        const message = JSON.stringify((response.body as { message?: unknown }).message ?? '');
        answers.push(
          `${route} ${JSON.stringify(query)} -> ${response.status} ${message.includes(field) ? `names ${field}` : message}`,
        );
      }
    }
    expect(answers).toEqual(
      routes.flatMap((route) =>
        BAD_INPUTS.map(([query, field]) => `${route} ${JSON.stringify(query)} -> 400 names ${field}`),
      ),
    );
    expect(answers).toHaveLength(routes.length * BAD_INPUTS.length);
  });

  it('should still page with the largest allowed offset and limit', async () => {
    const admin = await t.auth('admin');
    const response = await t.http.get('/users').query({ limit: '500', offset: '10000000' }).set(admin).expect(200);
    expect(response.body).toMatchObject({ items: [], total: 1 });
  });
});
