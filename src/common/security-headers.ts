import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * The headers @fastify/helmet sets with these options, worked out once: it adds them to a reply of
 * a throwaway server, and every header that reply has beyond the same reply without it is one.
 * @fastify/helmet itself builds helmet's middleware anew on every request (parsing the CSP
 * directives each time) for headers that never vary here (no nonces, no per-route options).
 */
export async function securityHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const [plain, helmeted] = await Promise.all([probe(), probe(options)]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(helmeted)) {
    if (plain[name] === undefined && value !== undefined) headers[name] = [value].flat().join(', ');
  }
  return headers;
}

async function probe(options?: FastifyHelmetOptions): Promise<Record<string, string | string[] | number | undefined>> {
  const server = new FastifyAdapter().getInstance();
  if (options) await server.register(helmet, options);
  server.get('/', (_request, reply) => reply.send('probe'));
  try {
    return (await server.inject({ method: 'GET', url: '/' })).headers;
  } finally {
    await server.close();
  }
}
