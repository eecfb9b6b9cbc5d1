import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { VolunteersService } from './volunteers.service';

/** Purges unconfirmed sign-ups past SIGNUP_EXPIRY_HOURS. One DELETE: running it twice or on two instances is harmless. */
@Injectable()
export class VolunteerSignupPurgeProcessor {
  private readonly logger = new Logger(VolunteerSignupPurgeProcessor.name);

  constructor(
    private readonly volunteers: VolunteersService,
    private readonly clock: Clock,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  @Cron('*/10 * * * *', { name: 'volunteer-signup-purge' })
  async run(): Promise<void> {
    if (!this.scheduler.enabled) return;
    try {
      await this.volunteers.purgeExpiredSignups(this.clock.now());
    } catch (error) {
      this.logger.error({ err: error }, 'Purging expired volunteer sign-ups failed; the next run retries');
    }
  }
}
