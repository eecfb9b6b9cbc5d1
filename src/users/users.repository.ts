import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/database-errors';
import { User } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  list(limit: number, offset: number): Promise<[User[], number]> {
    return this.users.findAndCount({ order: { createdAt: 'ASC' }, take: limit, skip: offset });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /** Returns null when the email is taken (unique key), so callers answer 409 without a race. */
  async insert(user: Pick<User, 'email' | 'passwordHash' | 'role' | 'name'>, manager?: EntityManager): Promise<User | null> {
    const result = await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values({ ...user, email: user.email.toLowerCase() })
      .orIgnore()
      .returning('id')
      .execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id;
    return id ? this.repo(manager).findOneByOrFail({ id }) : null;
  }

  /** Returns false when the new email belongs to someone else. */
  async update(id: string, changes: Partial<Pick<User, 'email' | 'passwordHash' | 'role' | 'name'>>): Promise<boolean> {
    try {
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as typeof changes;
      if (defined.email) defined.email = defined.email.toLowerCase();
      if (Object.keys(defined).length > 0) await this.users.update({ id }, defined);
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.users.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  countAdmins(): Promise<number> {
    return this.users.countBy({ role: 'admin' });
  }
}
