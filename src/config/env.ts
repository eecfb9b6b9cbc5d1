import { plainToInstance, Transform } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Raised at start-up when the environment is wrong; the message names each bad variable. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((text) =>
      text.startsWith(error.property) ? text : `${error.property}: ${text}`,
    ),
  );
}

/**
 * Validates the environment variables a config concern reads. The class's property
 * names are the variable names, so every message names the variable to fix.
 */
export function readEnv<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = plainToInstance(schema, present, { enableImplicitConversion: true });
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new EnvironmentError(`Invalid environment: ${describe(errors).join('; ')}`);
  }
  return parsed;
}

export function parseBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return value;
}

/**
 * A boolean variable ("true"/"false", "1"/"0", "yes"/"no", "on"/"off"). Reads the raw string:
 * implicit conversion would turn "false" into true.
 */
export const EnvBoolean = () => Transform(({ obj, key }) => parseBoolean((obj as Record<string, unknown>)[key]));
