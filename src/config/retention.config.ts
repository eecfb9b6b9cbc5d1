import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { readEnv } from './env';

class RetentionEnv {
  @IsOptional() @IsInt() @Min(0) @Max(36500) RETENTION_DAYS?: number;
}

export const retentionConfig = registerAs('retention', () => {
  const env = readEnv(RetentionEnv);
  return {
    /** Days after an edition's date (midnight in its zone) when its personal data is erased; 0 keeps it. */
    days: env.RETENTION_DAYS ?? 90,
  };
});
export type RetentionConfig = ReturnType<typeof retentionConfig>;
