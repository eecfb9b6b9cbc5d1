import { Injectable } from '@nestjs/common';
import { conflict } from '../common/errors/refusal';
import { EntityManager } from 'typeorm';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import type { OutgoingMail } from '../mail/mail.types';
import { VolunteerMailer } from './volunteer-mailer.service';
import type { VolunteerRole } from './volunteer-role.entity';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { AssignmentRow, PromotedVolunteer, VolunteersRepository } from './volunteers.repository';

/**
 * Places and waitlists: the one place where a role's places are taken, freed and passed on.
 * Every method runs inside the caller's transaction, and the caller holds the locks of the roles
 * it touches (VolunteerRolesRepository.lockByIds), so places and waitlist order are decided one
 * transaction at a time per role. The conditional UPDATE on `filled` stays the capacity guard.
 */
@Injectable()
export class VolunteerPlacement {
  constructor(
    private readonly roles: VolunteerRolesRepository,
    private readonly volunteers: VolunteersRepository,
    private readonly mailer: VolunteerMailer,
  ) {}

  /** A confirmed volunteer joins roles: a place where there is room, else the end of the waitlist. */
  async placeOrWaitlist(
    volunteerId: string,
    roles: readonly VolunteerRole[],
    now: Date,
    manager: EntityManager,
  ): Promise<{ assigned: VolunteerRole[]; waitlisted: VolunteerRole[] }> {
    const assigned: VolunteerRole[] = [];
    const waitlisted: VolunteerRole[] = [];
    for (const role of [...roles].sort((a, b) => a.id.localeCompare(b.id))) {
      if (await this.roles.takePlace(role.id, manager)) {
        await this.volunteers.markAssigned(volunteerId, role.id, now, manager);
        assigned.push(role);
      } else {
        await this.volunteers.markWaitlisted(volunteerId, role.id, manager);
        waitlisted.push(role);
      }
    }
    return { assigned, waitlisted };
  }

  /** Staff assign a volunteer: a place in each role or nothing at all (409 naming the full role). */
  async placeOrRefuse(
    volunteerId: string,
    roles: readonly VolunteerRole[],
    current: readonly AssignmentRow[],
    now: Date,
    manager: EntityManager,
    nameOf: (role: VolunteerRole) => string = (role) => role.name,
  ): Promise<void> {
    for (const role of [...roles].sort((a, b) => a.id.localeCompare(b.id))) {
      if (current.some((row) => row.roleId === role.id && row.state === 'assigned')) continue;
      if (!(await this.roles.takePlace(role.id, manager))) {
        const name = nameOf(role);
        throw conflict('role_full', `The role "${name}" is full (${role.capacity} of ${role.capacity} places taken)`, {
          field: 'roleIds',
          params: { role: name, capacity: role.capacity },
        });
      }
      await this.volunteers.markAssigned(volunteerId, role.id, now, manager);
    }
  }

  /** A volunteer leaves roles: places held are freed and passed to each role's waitlist. */
  async leave(
    volunteerId: string,
    leaving: readonly AssignmentRow[],
    now: Date,
    manager: EntityManager,
  ): Promise<PromotedVolunteer[]> {
    await this.volunteers.removeAssignments(
      volunteerId,
      leaving.map((row) => row.roleId),
      manager,
    );
    const promoted: PromotedVolunteer[] = [];
    for (const row of leaving.filter((candidate) => candidate.state === 'assigned')) {
      await this.roles.releasePlace(row.roleId, manager);
      promoted.push(...(await this.volunteers.promoteWaitlist(row.roleId, now, manager)));
    }
    return promoted;
  }

  promote(roleId: string, now: Date, manager: EntityManager): Promise<PromotedVolunteer[]> {
    return this.volunteers.promoteWaitlist(roleId, now, manager);
  }

  /** The "a place is now yours" mails, composed inside the transaction and sent after it. */
  async promotionMails(
    ceremony: Ceremony,
    promoted: readonly PromotedVolunteer[],
    manager: EntityManager,
  ): Promise<Array<OutgoingMail | null>> {
    if (promoted.length === 0) return [];
    const people = new Map(
      (await this.volunteers.findByIds([...new Set(promoted.map((row) => row.volunteerId))], manager)).map((person) => [
        person.id,
        person,
      ]),
    );
    const roles = new Map(
      (await this.roles.findByIds([...new Set(promoted.map((row) => row.roleId))], manager)).map((role) => [
        role.id,
        role,
      ]),
    );
    return promoted.map((row) => {
      const person = people.get(row.volunteerId);
      const role = roles.get(row.roleId);
      return person && role ? this.mailer.compose('promoted', person, ceremony, { assigned: [role] }) : null;
    });
  }
}
