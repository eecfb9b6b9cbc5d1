import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination } from 'pino';
import type { AppConfig } from '../config/app.config';

/** Path segments that look like self-service tokens are never written to the log. */
export function redactPath(url: string | undefined): string {
  if (!url) return '';
  const [path] = url.split('?');
  return path
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{40,}$/.test(segment) ? '[redacted]' : segment))
    .join('/');
}

export function loggerParams(app: AppConfig): Params {
  return {
    pinoHttp: {
      level: app.logLevel,
      stream: app.logFile ? destination({ dest: app.logFile, sync: true, mkdir: true }) : undefined,
      // Fastify assigned the id already (see requestId below); this is only a fallback.
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
      // Only what helps to trace a request; no headers, no bodies, no query strings.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactPath(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/health/ready' },
    },
  };
}

/** A request id: the caller's X-Request-Id when it looks like one, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
}
