import { QueryFailedError } from 'typeorm';

/** True when the error is a unique-key violation (optionally of one named constraint). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (!constraint || driverError.constraint === constraint);
}

/** True when a CHECK constraint refused the write (the database backstop of a rule). */
export function isCheckViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23514' && (!constraint || driverError.constraint === constraint);
}

/**
 * True when PostgreSQL refused a text value it cannot store (a NUL character, or bytes not valid in
 * the database encoding): bad input from the client, not a server fault.
 */
export function isUnstorableText(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string }).code;
  return code === '22021' || code === '22P05';
}
