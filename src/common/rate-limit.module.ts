import { Global, Module } from '@nestjs/common';
import { RateLimits } from './rate-limit.service';

/** The shared rate-limit counters: the guard of public routes and the mail job's per-recipient bound use them. */
@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}
