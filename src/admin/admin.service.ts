import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuthUser } from '../auth/auth.decorators';
import { CeremoniesService } from '../ceremonies/ceremonies.service';
import { Clock } from '../common/clock';
import { RetentionService } from '../retention/retention.service';
import { RemindersService } from '../reminders/reminders.service';
import { SubscribersRepository } from '../subscriptions/subscribers.repository';
import { VisitSlotsService } from '../visits/visit-slots.service';
import { VolunteerRolesService } from '../volunteers/volunteer-roles.service';
import { OverviewView } from './dto/overview.dto';

/** One page of figures for the people running the day, gathered from each feature. */
@Injectable()
export class AdminService {
  constructor(
    private readonly ceremonies: CeremoniesService,
    private readonly slots: VisitSlotsService,
    private readonly roles: VolunteerRolesService,
    private readonly subscribers: SubscribersRepository,
    private readonly reminders: RemindersService,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
  ) {}

  async overview(viewer: AuthUser, ceremonyId?: string): Promise<OverviewView> {
    const edition = ceremonyId
      ? await this.ceremonies.getEdition(ceremonyId, viewer)
      : await this.ceremonies.getCurrentEdition();
    const [visits, volunteerRoles, subscriberCounts, runs, retention] = await Promise.all([
      this.slots.summaryOf(edition.id),
      this.roles.rolesOf(edition),
      this.subscribers.countByStatus(),
      this.reminders.runsOf(this.clock.now(), [edition]),
      this.retention.statusOf(edition.id),
    ]);
    const today = DateTime.fromJSDate(this.clock.now(), { zone: edition.timeZone }).startOf('day');
    const day = DateTime.fromISO(edition.date, { zone: edition.timeZone }).startOf('day');
    return {
      edition,
      daysUntil: Math.round(day.diff(today, 'days').days),
      visits,
      volunteerRoles,
      subscribers: {
        confirmed: subscriberCounts.confirmed ?? 0,
        pending: subscriberCounts.pending ?? 0,
        unsubscribed: subscriberCounts.unsubscribed ?? 0,
      },
      reminderRuns: runs,
      retention,
    };
  }
}
