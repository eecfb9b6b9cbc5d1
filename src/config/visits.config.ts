import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { readEnv } from './env';

class VisitsEnv {
  @IsOptional() @IsInt() @Min(1) @Max(500) VISIT_MAX_PARTY_SIZE?: number;
  @IsOptional() @IsInt() @Min(1) @Max(5000) VISIT_MAX_GENERATED_SLOTS?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60000) VISIT_SLOTS_CACHE_MS?: number;
}

export const visitsConfig = registerAs('visits', () => {
  const env = readEnv(VisitsEnv);
  return {
    /** The largest party one booking may bring (a school class, a delegation). */
    maxPartySize: env.VISIT_MAX_PARTY_SIZE ?? 20,
    /** The most slots one generation request may create. */
    maxGeneratedSlots: env.VISIT_MAX_GENERATED_SLOTS ?? 500,
    /** How long the public slot list of an edition may be served from memory (0 = never). */
    slotsCacheMs: env.VISIT_SLOTS_CACHE_MS ?? 1000,
  };
});
export type VisitsConfig = ReturnType<typeof visitsConfig>;
