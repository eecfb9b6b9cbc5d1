import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { RetentionService } from './retention.service';

/** Erases editions whose retention has run out. Claimed per edition: running it twice or on two instances erases each once. */
@Injectable()
export class RetentionProcessor {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly retention: RetentionService,
    private readonly clock: Clock,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  @Cron('17 * * * *', { name: 'retention' })
  async run(): Promise<void> {
    if (!this.scheduler.enabled) return;
    try {
      await this.retention.eraseDue(this.clock.now());
    } catch (error) {
      this.logger.error({ err: error }, 'Erasing personal data past retention failed; the next run retries');
    }
  }
}
