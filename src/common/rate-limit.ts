import { applyDecorators, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app.config';

const RATE_LIMITED = 'rateLimit:kind';
const MINUTE_MS = 60_000;

/** Per-IP limit for public writes (PUBLIC_RATE_LIMIT per minute). */
export const PublicWriteLimit = () =>
  applyDecorators(SetMetadata(RATE_LIMITED, 'public'), SkipThrottle({ login: true }), ApiTooManyRequestsResponse({ description: 'Too many requests; see Retry-After' }));

/** Per-IP limit for login attempts (LOGIN_RATE_LIMIT per minute). */
export const LoginLimit = () =>
  applyDecorators(SetMetadata(RATE_LIMITED, 'login'), SkipThrottle({ public: true }), ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After' }));

export function throttlerOptions(app: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'public', ttl: MINUTE_MS, limit: app.publicRateLimit, skipIf: () => app.publicRateLimit === 0 },
      { name: 'login', ttl: MINUTE_MS, limit: app.loginRateLimit, skipIf: () => app.loginRateLimit === 0 },
    ],
    errorMessage: 'Too many requests; please wait before trying again',
  };
}

/** Throttles only the routes that opted in with one of the decorators above. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !this.reflector.getAllAndOverride<string>(RATE_LIMITED, [context.getHandler(), context.getClass()]);
  }

  /** The library names the header per throttler (Retry-After-public); clients expect plain Retry-After. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, detail.timeToBlockExpire));
    return super.throwThrottlingException(context, detail);
  }
}
