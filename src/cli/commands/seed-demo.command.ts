import { ConflictException, Inject } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { DateTime } from 'luxon';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CeremoniesRepository } from '../../ceremonies/ceremonies.repository';
import { CeremoniesService } from '../../ceremonies/ceremonies.service';
import { CreateCeremonyDto } from '../../ceremonies/dto/ceremony.dto';
import { CreateProgramItemDto } from '../../ceremonies/dto/program-item.dto';
import { ProgramService } from '../../ceremonies/program.service';
import { Clock } from '../../common/clock';
import { commemorationConfig, CommemorationConfig } from '../../config/commemoration.config';
import { BookingsService } from '../../visits/bookings.service';
import { CreateBookingDto } from '../../visits/dto/booking.dto';
import { CreateVisitSlotsDto, VisitSlotView } from '../../visits/dto/visit-slot.dto';
import { VisitSlotsService } from '../../visits/visit-slots.service';
import { CreateVolunteerRoleDto } from '../../volunteers/dto/volunteer-role.dto';
import { SignUpVolunteerDto } from '../../volunteers/dto/volunteer.dto';
import { VolunteerRolesService } from '../../volunteers/volunteer-roles.service';
import { VolunteerRosterService } from '../../volunteers/volunteer-roster.service';
import { CliOutput } from '../cli-output';
import { CLI_ACTOR, validateDto } from '../cli-support';
import { DEMO_BOOKINGS, DEMO_PROGRAM, DEMO_ROLES, DEMO_SLOTS, DEMO_VOLUNTEERS, demoEdition } from '../demo-edition';

interface SeedDemoOptions {
  year?: number;
}

@Command({
  name: 'seed:demo',
  description:
    'Create a published demo edition with program, visit slots, volunteer roles and sample bookings and volunteers',
})
export class SeedDemoCommand extends CommandRunner {
  constructor(
    private readonly ceremonies: CeremoniesService,
    private readonly ceremoniesRepository: CeremoniesRepository,
    private readonly program: ProgramService,
    private readonly slots: VisitSlotsService,
    private readonly roles: VolunteerRolesService,
    private readonly bookings: BookingsService,
    private readonly volunteers: VolunteerRosterService,
    private readonly clock: Clock,
    private readonly output: CliOutput,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    super();
  }

  async run(_args: string[], options: SeedDemoOptions): Promise<void> {
    const year = options.year ?? this.upcomingYear();
    if (!Number.isInteger(year)) return this.output.fail('--year must be a year, e.g. 2027');
    const edition = await checked(CreateCeremonyDto, demoEdition(year)).catch((error: Error) => error);
    if (edition instanceof Error) return this.output.fail(edition.message);

    // Idempotent: an edition of that year (demo or real) is never touched; the unique year decides.
    const existing = await this.ceremoniesRepository.findByYear(year);
    if (existing)
      return this.output.line(
        `An edition for ${year} already exists (${existing.title}, id ${existing.id}, ${existing.status}); nothing was seeded.`,
      );
    let ceremony;
    try {
      ceremony = await this.ceremonies.createEdition(CLI_ACTOR, edition);
    } catch (error) {
      if (error instanceof ConflictException)
        return this.output.line(`An edition for ${year} already exists; nothing was seeded.`);
      throw error;
    }

    let seeded: { slots: number; booked: number };
    try {
      seeded = await this.fill(ceremony.id, year);
    } catch (error) {
      this.output.error(
        `Seeding stopped after edition ${year} was created (id ${ceremony.id}); remove or complete it by hand.`,
      );
      throw error;
    }

    this.output.line(
      `Demo edition ${year} created and published: ${ceremony.title}, ${ceremony.date} at ${ceremony.venue.name} (id ${ceremony.id}).`,
    );
    this.output.line(
      `  ${DEMO_PROGRAM.length} program items, ${seeded.slots} visit slots, ${DEMO_ROLES.length} volunteer roles, ${seeded.booked} sample bookings, ${DEMO_VOLUNTEERS.length} sample volunteers (example.org addresses).`,
    );
  }

  /** Program, slots, roles, publication, sample bookings and volunteers; answers how many slots and bookings were made. */
  private async fill(ceremonyId: string, year: number): Promise<{ slots: number; booked: number }> {
    for (const item of DEMO_PROGRAM)
      await this.program.addItem(CLI_ACTOR, ceremonyId, await checked(CreateProgramItemDto, item));
    const slots = [
      await this.slots.createSlots(CLI_ACTOR, ceremonyId, await checked(CreateVisitSlotsDto, DEMO_SLOTS)),
    ].flat() as VisitSlotView[];
    const roleIds = new Map<string, string>();
    for (const role of DEMO_ROLES)
      roleIds.set(
        role.name,
        (await this.roles.createRole(CLI_ACTOR, ceremonyId, await checked(CreateVolunteerRoleDto, role))).id,
      );
    await this.ceremonies.publishEdition(CLI_ACTOR, ceremonyId);

    let booked = 0;
    if (slots[0] && new Date(slots[0].startsAt).getTime() > this.clock.now().getTime()) {
      for (const { slot, ...booking } of DEMO_BOOKINGS) {
        await this.bookings.bookVisit(slots[slot].id, await checked(CreateBookingDto, booking));
        booked++;
      }
    } else {
      this.output.line(`The visit slots of ${year} have already begun, so no sample bookings were made.`);
    }
    for (const { roles, ...volunteer } of DEMO_VOLUNTEERS) {
      const dto = await checked(SignUpVolunteerDto, {
        ...volunteer,
        ceremonyId,
        roleIds: roles.map((name) => roleIds.get(name)),
      });
      await this.volunteers.addConfirmedByStaff(CLI_ACTOR, dto);
    }
    return { slots: slots.length, booked };
  }

  /** The next commemoration day that has not passed yet, in the default time zone. */
  private upcomingYear(): number {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: this.commemoration.defaultTimeZone });
    const passed =
      today.month > this.commemoration.month ||
      (today.month === this.commemoration.month && today.day > this.commemoration.day);
    return passed ? today.year + 1 : today.year;
  }

  @Option({ flags: '--year <year>', description: 'Year of the demo edition; defaults to the next commemoration day' })
  parseYear(value: string): number {
    return /^\d{4}$/.test(value) ? Number(value) : NaN;
  }
}

/** The demo data goes through the API's own DTOs; a mistake in it is a bug, reported plainly. */
async function checked<T extends object>(dto: ClassConstructor<T>, plain: object): Promise<T> {
  const { value, errors } = await validateDto(dto, plain as Record<string, unknown>);
  if (errors.length > 0) throw new Error(`Invalid ${dto.name}: ${errors.join('; ')}`);
  return value;
}
