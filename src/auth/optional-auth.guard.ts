import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { sessionCookie } from './session-cookie';

type RequestWithUser = FastifyRequest & { user?: AuthUser };

/**
 * For public routes that show staff more (e.g. drafts): a valid bearer token, or the console's
 * session cookie, sets the user; no token, or one that is invalid or expired, leaves the request
 * anonymous instead of failing.
 */
@Injectable()
export class OptionalAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    // These routes only read, so the cookie needs no console header here (no cross-site write to guard against).
    const token = match?.[1] ?? sessionCookie(request);
    const user = token ? await this.auth.authenticate(token) : null;
    // A token that still needs two-factor enrolment shows nothing more than the public sees.
    if (user && !user.enrolmentRequired) request.user = user;
    return true;
  }
}

/** A public route that also recognises staff when they send a token. Needs AuthModule imported. */
export const OptionalAuth = () => applyDecorators(Public(), UseGuards(OptionalAuthGuard), ApiBearerAuth());

/** The staff user on an @OptionalAuth() route, or null for the public. */
export const OptionalUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser | null => {
  return context.switchToHttp().getRequest<RequestWithUser>().user ?? null;
});
