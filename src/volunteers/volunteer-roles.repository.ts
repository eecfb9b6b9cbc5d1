import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { VolunteerRole } from './volunteer-role.entity';

export type RoleFields = Pick<
  VolunteerRole,
  'name' | 'description' | 'capacity' | 'shiftStart' | 'shiftEnd' | 'requiredLanguages' | 'translations'
>;

@Injectable()
export class VolunteerRolesRepository {
  constructor(@InjectRepository(VolunteerRole) private readonly roles: Repository<VolunteerRole>) {}

  private repo(manager?: EntityManager): Repository<VolunteerRole> {
    return manager ? manager.getRepository(VolunteerRole) : this.roles;
  }

  async insert(ceremonyId: string, fields: RoleFields, manager?: EntityManager): Promise<VolunteerRole> {
    const result = await this.repo(manager).insert({ ...fields, ceremonyId });
    return this.repo(manager).findOneByOrFail({ id: (result.identifiers[0] as { id: string }).id });
  }

  findById(id: string, manager?: EntityManager): Promise<VolunteerRole | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByIds(ids: readonly string[], manager?: EntityManager): Promise<VolunteerRole[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo(manager).find({ where: { id: In([...ids]) }, order: { id: 'ASC' } });
  }

  /**
   * Locks the roles' rows in id order (one order everywhere, so two transactions never wait on
   * each other in a cycle). Whoever holds a role's lock decides its places and waitlist order.
   */
  lockByIds(ids: readonly string[], manager: EntityManager): Promise<VolunteerRole[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(VolunteerRole)
      .createQueryBuilder('role')
      .where('role.id IN (:...ids)', { ids: [...ids] })
      .orderBy('role.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  listForEdition(ceremonyId: string, manager?: EntityManager): Promise<VolunteerRole[]> {
    return this.repo(manager).find({ where: { ceremonyId }, order: { shiftStart: 'ASC', name: 'ASC', id: 'ASC' } });
  }

  /** Waitlisted volunteers per role. */
  async waitlistCounts(roleIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (roleIds.length === 0) return new Map();
    const rows = (await (manager ?? this.roles.manager).query(
      `SELECT role_id, count(*)::int AS waitlisted FROM volunteer_assignments WHERE role_id = ANY($1::uuid[]) AND state = 'waitlisted' GROUP BY role_id`,
      [roleIds],
    )) as Array<{ role_id: string; waitlisted: number }>;
    return new Map(rows.map((row) => [row.role_id, row.waitlisted]));
  }

  /** Volunteers holding a place or waiting for one (unconfirmed requests do not count). */
  async countHolders(roleId: string, manager?: EntityManager): Promise<number> {
    const [row] = (await (manager ?? this.roles.manager).query(
      `SELECT count(*)::int AS holders FROM volunteer_assignments WHERE role_id = $1 AND state IN ('assigned', 'waitlisted')`,
      [roleId],
    )) as Array<{ holders: number }>;
    return row.holders;
  }

  async update(id: string, changes: Partial<RoleFields>, manager: EntityManager): Promise<void> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length > 0) await manager.getRepository(VolunteerRole).update({ id }, defined);
  }

  /** Takes one place; false when the role is full. The condition is the capacity guard. */
  async takePlace(roleId: string, manager: EntityManager): Promise<boolean> {
    const rows = (await manager.query(
      `UPDATE volunteer_roles SET filled = filled + 1, updated_at = now() WHERE id = $1 AND filled + 1 <= capacity RETURNING id`,
      [roleId],
    )) as [unknown[], number];
    return rows[1] > 0;
  }

  async releasePlace(roleId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE volunteer_roles SET filled = filled - 1, updated_at = now() WHERE id = $1 AND filled > 0`,
      [roleId],
    );
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(VolunteerRole).delete({ id });
  }

  /** Copies an edition's roles into another, without volunteers; a repeated copy adds nothing (unique name per edition). */
  async copyToEdition(fromCeremonyId: string, toCeremonyId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO volunteer_roles (ceremony_id, name, description, capacity, shift_start, shift_end, required_languages, translations)
       SELECT $2, name, description, capacity, shift_start, shift_end, required_languages, translations FROM volunteer_roles WHERE ceremony_id = $1
       ON CONFLICT (ceremony_id, name) DO NOTHING`,
      [fromCeremonyId, toCeremonyId],
    );
  }
}
