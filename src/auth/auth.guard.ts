import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../users/user.entity';
import { AuthUser, IS_PUBLIC, OPEN_BEFORE_TWO_FACTOR, ROLES } from './auth.decorators';
import { AuthService } from './auth.service';

/**
 * Global guard: every route needs a valid staff token unless marked @Public();
 * @Roles() narrows further (admins always pass). A token that still needs two-factor enrolment
 * opens only @OpenBeforeTwoFactor() routes.
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
    if (!match) throw new UnauthorizedException('A staff access token is required');
    const user = await this.auth.authenticate(match[1]);
    if (!user) throw new UnauthorizedException('The access token is invalid or expired');
    request.user = user;
    if (user.enrolmentRequired && !this.reflector.getAllAndOverride<boolean>(OPEN_BEFORE_TWO_FACTOR, targets)) {
      throw new ForbiddenException({
        statusCode: 403,
        message: 'Two-factor sign-in is required for your account: set it up at POST /auth/2fa/setup, then sign in again',
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
