import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addressKey, RateBudget, RateLimits } from './rate-limit.service';

const RATE_BUDGETS = 'rateLimit:budgets';

/** Budgets a route may name; 'mail-recipient' is the mail job's, not a route's. */
export type RouteBudget = Exclude<RateBudget, 'mail-recipient'>;

/**
 * Limits a public write. By default it spends the one budget every public write shares per client
 * IP (PUBLIC_RATE_LIMIT per minute); a route that needs its own names it instead.
 */
export const PublicWriteLimit = (...budgets: RouteBudget[]) =>
  applyDecorators(
    SetMetadata(RATE_BUDGETS, budgets.length > 0 ? budgets : ['public']),
    ApiTooManyRequestsResponse({ description: 'Too many requests; see Retry-After' }),
  );

/**
 * Login attempts: per client IP (LOGIN_RATE_LIMIT per minute) and per account, keyed by the email
 * in the body whether or not it exists (LOGIN_ACCOUNT_RATE_LIMIT per 15 minutes).
 */
export const LoginLimit = () =>
  applyDecorators(
    SetMetadata(RATE_BUDGETS, ['login', 'login-account']),
    ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After' }),
  );

/** What a budget counts by: the client IP (request.ip, as TRUST_PROXY allows), or the account named in the body. */
function keyOf(budget: RouteBudget, request: FastifyRequest): string | null {
  if (budget !== 'login-account') return request.ip;
  const email = (request.body as { email?: unknown } | undefined)?.email;
  // No email: validation refuses the request anyway, and the IP budget still counted it.
  return typeof email === 'string' && email.trim() !== '' ? addressKey(email) : null;
}

/**
 * Spends the budgets of routes that opted in with one of the decorators above, before validation
 * (every attempt counts, valid or not). Budgets are spent in order and the first refusal stops:
 * a client refused by its IP budget does not also use up the account's.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const budgets = this.reflector.getAllAndOverride<RouteBudget[] | undefined>(RATE_BUDGETS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!budgets) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    for (const budget of budgets) {
      const key = keyOf(budget, request);
      if (key === null) continue;
      const decision = await this.limits.consume(budget, key);
      if (!decision.allowed) {
        void context
          .switchToHttp()
          .getResponse<FastifyReply>()
          .header('Retry-After', String(decision.retryAfterSeconds));
        throw new HttpException(
          {
            statusCode: HttpStatus.TOO_MANY_REQUESTS,
            message: 'Too many requests; please wait before trying again',
            error: 'Too Many Requests',
          },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
    return true;
  }
}
