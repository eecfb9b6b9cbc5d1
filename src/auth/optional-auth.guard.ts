import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { CONSOLE_HEADER, CONSOLE_HEADER_VALUE, sessionCookie } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type RequestWithUser = FastifyRequest & { user?: AuthUser };

/**
 * For public routes that show staff more (e.g. drafts): a valid bearer token, or the console's
 * session cookie, sets the user; no token, or one that is invalid or expired, leaves the request
 * anonymous instead of failing. A write by cookie counts only with the console's header (as in
 * AuthGuard), so another site cannot act as staff through it.
 */
@Injectable()
export class OptionalAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const cookieAllowed = SAFE_METHODS.has(request.method) || request.headers[CONSOLE_HEADER] === CONSOLE_HEADER_VALUE;
    const token = match?.[1] ?? (cookieAllowed ? sessionCookie(request) : undefined);
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
