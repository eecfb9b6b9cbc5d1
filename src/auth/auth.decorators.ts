// The staff types and route decorators live in common/staff.ts (shared with users); features keep importing them here.
export {
  CurrentUser,
  IS_PUBLIC,
  OPEN_BEFORE_TWO_FACTOR,
  OpenBeforeTwoFactor,
  Public,
  ROLES,
  Roles,
} from '../common/staff';
export type { AuthUser, StaffRole } from '../common/staff';
