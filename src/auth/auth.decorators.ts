import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { StaffRole } from '../users/user.entity';

export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';

/** Opens a route to everyone. Every other route needs a staff token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Narrows a staff route to these roles; admins may always pass. */
export const Roles = (...roles: StaffRole[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'No or invalid token' }), ApiForbiddenResponse({ description: 'Role not allowed' }));

export interface AuthUser {
  id: string;
  email: string;
  role: StaffRole;
  name: string;
}

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
