import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Job } from './job.entity';
import { JobHandlers } from './job-handlers';
import { JobWakeups } from './job-wakeups';
import { JobsInstance } from './jobs-instance';
import { JobsRepository } from './jobs.repository';
import { JobsQueue } from './jobs.queue';
import { Jobs } from './jobs.service';
import { ScheduledTicks } from './scheduled-ticks';
import { Workers } from './workers';

/**
 * Background work: the job queue (`Jobs.enqueue` + @JobHandler), the runner every queue uses
 * (QueueRunner), cross-instance wake-ups, and the scheduled ticks (@Tick). See docs/architecture.md.
 */
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Job])],
  providers: [JobsInstance, JobsRepository, Jobs, JobHandlers, JobsQueue, JobWakeups, ScheduledTicks, Workers],
  exports: [Jobs, JobsInstance, JobWakeups, Workers, JobsQueue, ScheduledTicks],
})
export class JobsModule {}
