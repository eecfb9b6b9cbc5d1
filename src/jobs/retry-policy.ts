/** How often and how late a failed unit of work (a job, a delivery) is tried again. */
export interface RetrySettings {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Thrown by a job handler when trying again cannot help (a refused recipient, a payload that no longer applies). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/**
 * The one retry rule of every queue: a temporary failure is tried again after `baseMs`, doubling
 * up to `maxMs`, until `attempts` (claims so far, this one included) reaches `maxAttempts`; a
 * permanent failure is not tried again. Null: failed for good. Each queue says what is permanent.
 */
export function retryDelay(attempts: number, settings: RetrySettings, permanent: boolean): number | null {
  if (permanent || attempts >= settings.maxAttempts) return null;
  return Math.min(settings.maxMs, settings.baseMs * 2 ** (attempts - 1));
}
