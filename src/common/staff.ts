import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

/**
 * Who staff are and how a route says who may call it: shared by `users` (the accounts) and `auth`
 * (the guard that checks them), so neither feature has to import the other for it.
 */
export const STAFF_ROLES = ['admin', 'organizer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The signed-in staff member a guarded route runs for. */
export interface AuthUser {
  id: string;
  email: string;
  role: StaffRole;
  name: string;
  /** Set when the token only opens @OpenBeforeTwoFactor() routes (STAFF_2FA=required, not yet enrolled). */
  enrolmentRequired?: boolean;
}

export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';
export const OPEN_BEFORE_TWO_FACTOR = 'auth:openBeforeTwoFactor';

/** Opens a route to everyone. Every other route needs a staff token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Narrows a staff route to these roles; admins may always pass. */
export const Roles = (...roles: StaffRole[]) =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid token' }),
    ApiForbiddenResponse({ description: 'Role not allowed' }),
  );

/**
 * A route an admin who must still enrol in two-factor sign-in (STAFF_2FA=required) may use with the
 * token of a password-only sign-in: who am I, enrolment, and the password change.
 */
export const OpenBeforeTwoFactor = () => SetMetadata(OPEN_BEFORE_TWO_FACTOR, true);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
