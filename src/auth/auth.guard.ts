import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../common/staff';
import { AuthUser, IS_PUBLIC, OPEN_BEFORE_TWO_FACTOR, ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { CONSOLE_HEADER, CONSOLE_HEADER_VALUE, sessionCookie } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: every route needs a valid staff token unless marked @Public();
 * @Roles() narrows further (admins always pass). A token that still needs two-factor enrolment
 * opens only @OpenBeforeTwoFactor() routes. The token comes from the Authorization header or from the
 * console's session cookie; an unsafe request by cookie also needs the console's header (no CSRF).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const cookie = match ? undefined : sessionCookie(request);
    const token = match?.[1] ?? cookie;
    if (!token) throw new UnauthorizedException('A staff access token is required');
    const user = await this.auth.authenticate(token);
    if (!user) throw new UnauthorizedException('The access token is invalid or expired');
    if (cookie && !SAFE_METHODS.has(request.method) && request.headers[CONSOLE_HEADER] !== CONSOLE_HEADER_VALUE) {
      throw new ForbiddenException({
        statusCode: 403,
        message: `A request signed in by the session cookie must send the header ${CONSOLE_HEADER}: ${CONSOLE_HEADER_VALUE}`,
        error: 'Forbidden',
        code: 'console_header_required',
      });
    }
    request.user = user;
    if (user.enrolmentRequired && !this.reflector.getAllAndOverride<boolean>(OPEN_BEFORE_TWO_FACTOR, targets)) {
      throw new ForbiddenException({
        statusCode: 403,
        message:
          'Two-factor sign-in is required for your account: set it up at POST /auth/2fa/setup, then sign in again',
        error: 'Forbidden',
        code: 'two_factor_required',
      });
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    if (roles && user.role !== 'admin' && !roles.includes(user.role)) {
      throw new ForbiddenException('Your role does not allow this action');
    }
    return true;
  }
}
