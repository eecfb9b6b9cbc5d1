import { Tick } from '../jobs/job-handler.decorator';
import { Injectable, Logger } from '@nestjs/common';
import { VolunteersRepository } from './volunteers.repository';

/** Scheduled work on volunteers, run by the scheduler rather than a request. */
@Injectable()
export class VolunteerUpkeepService {
  private readonly logger = new Logger(VolunteerUpkeepService.name);

  constructor(private readonly volunteers: VolunteersRepository) {}

  /** Deletes unconfirmed sign-ups past their expiry (set-based; their requested roles go too). Every 10 minutes. */
  @Tick('volunteers.purge-expired-sign-ups', '*/10 * * * *')
  async purgeExpiredSignups(now: Date): Promise<number> {
    const started = Date.now();
    const purged = await this.volunteers.purgeExpiredPending(now);
    this.logger.log({ purged, durationMs: Date.now() - started }, 'Expired volunteer sign-ups purged');
    return purged;
  }
}
