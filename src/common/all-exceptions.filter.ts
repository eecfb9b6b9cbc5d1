import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUnstorableText } from './database-errors';
import { localeFromAcceptLanguage } from './errors/accept-language';
import { localizedErrorBody } from './errors/localize';

/** Connection-level failures: the database (or a pool slot) is unavailable, not the request wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '3D000',
]);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /is not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, driverError } = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return driverError ? isDatabaseUnavailable(driverError) : false;
}

/**
 * Keeps NestJS's error shape for HttpExceptions. Anything else is a generic 500 (or 503 when
 * the database is unreachable) carrying the request id; the detail goes to the log only.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const reply = context.getResponse<FastifyReply>();
    const request = context.getRequest<FastifyRequest>();
    const requestId = String(request.id);

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (status >= 500) this.logger.error({ err: exception, requestId }, 'Request failed');
      const sent = typeof body === 'string' ? { statusCode: status, message: body } : (body as Record<string, unknown>);
      // Validation errors, refusals and coded 404s carry coded `errors`, their texts in the asker's language.
      const coded = status === 400 || status === 409 || (status === 404 && Array.isArray(sent.errors));
      void reply.status(status).send(coded ? localizedErrorBody(sent, status, locale(request)) : sent);
      return;
    }
    // Fastify's own client errors (bad JSON, payload too large, unsupported media type).
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const sent = {
        statusCode: fastifyStatus,
        message: (exception as Error).message,
        error: HttpStatus[fastifyStatus] ? titleCase(HttpStatus[fastifyStatus]) : 'Bad Request',
      };
      void reply
        .status(fastifyStatus)
        .send(
          fastifyStatus === 400
            ? localizedErrorBody(
                { ...sent, errors: [{ field: null, code: 'invalid', message: sent.message }] },
                400,
                locale(request),
              )
            : sent,
        );
      return;
    }
    // A NUL character (or an invalid byte) in a text field passes validation but not PostgreSQL.
    if (isUnstorableText(exception)) {
      const message = 'A text field contains a character that cannot be stored (such as NUL)';
      void reply.status(HttpStatus.BAD_REQUEST).send(
        localizedErrorBody(
          {
            statusCode: 400,
            message,
            error: 'Bad Request',
            errors: [{ field: null, code: 'invalid_characters', message }],
          },
          400,
          locale(request),
        ),
      );
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: exception, requestId }, 'Database unavailable');
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', '5').send({
        statusCode: 503,
        message: 'The service is temporarily unavailable; please retry shortly',
        error: 'Service Unavailable',
        requestId,
      });
      return;
    }
    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    void reply
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .send({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error', requestId });
  }
}

function locale(request: FastifyRequest) {
  return localeFromAcceptLanguage(request.headers['accept-language']);
}

function titleCase(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
