// The purge processor knows the scheduled work by this name; the work itself is VolunteerUpkeepService.
export { VolunteerUpkeepService as VolunteersService } from './volunteer-upkeep.service';
