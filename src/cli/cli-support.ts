import { HttpException } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { AuthUser } from '../auth/auth.decorators';

/**
 * Who the audit log names for changes made from the command line. Whoever runs the CLI holds the
 * database credentials, i.e. full access; there is no staff login to attribute the change to, so
 * it gets a fixed, recognisable identity (the nil UUID) instead of borrowing a real user's.
 */
export const CLI_ACTOR: AuthUser = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'cli@localhost',
  role: 'admin',
  name: 'Command line',
};

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => (parent ? `${parent}.${text}` : text));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates input exactly as the API's global ValidationPipe does (same DTO, transforms and
 * options), so a row or an option the API would refuse is refused here with the same words.
 */
export async function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: Record<string, unknown>,
): Promise<{ value: T; errors: string[] }> {
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return { value, errors: flatten(errors) };
}

/** The client-facing messages of an HTTP exception a service threw (a 4xx: the input's fault). */
export function clientErrorMessages(error: unknown): string[] | null {
  if (!(error instanceof HttpException) || error.getStatus() >= 500) return null;
  const response = error.getResponse();
  if (typeof response === 'string') return [response];
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String);
  return [typeof message === 'string' ? message : error.message];
}

/** An edition is named by its id or its year. */
export function parseEditionRef(ref: string): { id: string } | { year: number } | null {
  const trimmed = ref.trim();
  if (/^\d{4}$/.test(trimmed)) return { year: Number(trimmed) };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trimmed))
    return { id: trimmed.toLowerCase() };
  return null;
}
