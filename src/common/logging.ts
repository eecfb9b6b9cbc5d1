import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination, stdSerializers } from 'pino';
import type { AppConfig } from '../config/app.config';

export const REDACTED = '[redacted]';

/**
 * A run of 40 or more base64url characters: a self-service token (43), or anything as long and
 * as random. UUIDs (36, hex and dashes) stay readable.
 */
const TOKEN_RUN = /[A-Za-z0-9_-]{40,}/g;
const HAS_TOKEN_RUN = /[A-Za-z0-9_-]{40,}/;
/** Query parameters whose value is never logged, whatever it looks like (no route takes these, a caller may still send them). */
const SECRET_PARAM = /token|password|secret|email/i;
/** `token=...` (and `manageToken=`, `token[]=`...) wherever it is written: a query string, an error message. */
const TOKEN_ASSIGNMENT = /([A-Za-z_]*token[A-Za-z_[\]]*=)[^&\s"',;]+/gi;

/** Text with every token-looking run and every token-named value replaced. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_ASSIGNMENT, `$1${REDACTED}`).replace(TOKEN_RUN, REDACTED);
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * A request URL fit for the log: a token is redacted wherever it is in a path segment
 * (`/unsubscribe/<token>.html`, percent-encoded or not), and query values are kept except a
 * token-looking one or any value of a parameter named like a token, password, secret or email.
 */
export function redactPath(url: string | undefined): string {
  if (!url) return '';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const safePath = path
    .split('/')
    .map((segment) => {
      const plain = decoded(segment);
      return HAS_TOKEN_RUN.test(plain) ? plain.replace(TOKEN_RUN, REDACTED) : segment;
    })
    .join('/');
  if (queryStart === -1) return safePath;
  const pairs = query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = decoded((equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
      const value = equals === -1 ? undefined : decoded(pair.slice(equals + 1).replace(/\+/g, ' '));
      const safeKey = encodeURIComponent(key.replace(TOKEN_RUN, REDACTED)).replace(/%5B|%5D/g, (bracket) =>
        bracket === '%5B' ? '[' : ']',
      );
      if (value === undefined) return safeKey;
      const safeValue = SECRET_PARAM.test(key) || HAS_TOKEN_RUN.test(value) ? REDACTED : encodeURIComponent(value);
      return `${safeKey}=${safeValue}`;
    });
  return `${safePath}?${pairs.join('&')}`;
}

/** An error as pino writes it, with tokens redacted from its message and stack (they may quote a URL). */
export function redactError(error: Error): Record<string, unknown> {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'])
    if (typeof serialized[key] === 'string') serialized[key] = redactTokens(serialized[key]);
  return serialized;
}

export function loggerParams(app: AppConfig): Params {
  return {
    // nestjs-pino's default route ('{/*splat}') matches no request under @nestjs/platform-fastify 12,
    // so nothing would be logged; this pattern matches every path.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: app.logLevel,
      stream: app.logFile ? destination({ dest: app.logFile, sync: true, mkdir: true }) : undefined,
      // Fastify assigned the id already (see requestId below); this is only a fallback.
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
      // Only what helps to trace a request; no headers, no bodies, no tokens.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactPath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: redactError,
      },
      // Messages written with a token in them (an error quoting a URL) are redacted too.
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg: unknown) => (typeof arg === 'string' ? redactTokens(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Under that route Fastify's middleware engine hands the middleware the path after its prefix
      // ('/'); the request's own path is originalUrl.
      autoLogging: {
        ignore: (req) => {
          const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
          return url === '/health' || url === '/health/ready';
        },
      },
    },
  };
}

/** A request id: the caller's X-Request-Id when it looks like one, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
}
