import type { FastifyReply, FastifyRequest } from 'fastify';

/** The console's session: the same JWT the API issues, in a cookie no script can read. */
export const SESSION_COOKIE = 'console_session';

/**
 * Unsafe requests authenticated by the cookie must carry this header: another site cannot set a
 * custom header on a cross-origin request without a CORS preflight, and SameSite=Strict keeps the cookie home.
 */
export const CONSOLE_HEADER = 'x-requested-with';
export const CONSOLE_HEADER_VALUE = 'console';

// One cookie with fixed attributes: written here rather than through @fastify/cookie, whose ESM-only
// dependency is loaded by a dynamic import that Jest's CommonJS runtime cannot run.
function attributes(request: FastifyRequest, maxAgeSeconds: number): string {
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${request.protocol === 'https' ? '; Secure' : ''}`;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=${token}; ${attributes(request, maxAgeSeconds)}`);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=; ${attributes(request, 0)}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
}

/** The session token from the Cookie header (a JWT: base64url and dots, nothing to decode). */
export function sessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
