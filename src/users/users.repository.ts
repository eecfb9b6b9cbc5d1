import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUniqueViolation } from '../common/database-errors';
import { AuthState, AuthStateCache } from './auth-state-cache';
import { User } from './user.entity';

/**
 * Every write of a user's row that can change its auth state (`update`, `delete`,
 * `consumeResetToken`, `disableTotp`) tells the AuthStateCache of this instance; the table's
 * trigger tells the other instances.
 */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly authStates: AuthStateCache,
  ) {}

  private repo(manager?: EntityManager): Repository<User> {
    return manager ? manager.getRepository(User) : this.users;
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** What a token is checked against, from this instance's copy when it holds one (see AuthStateCache). */
  async findAuthState(id: string): Promise<AuthState | null> {
    const cached = this.authStates.get(id);
    if (cached) return cached;
    const ticket = this.authStates.ticket();
    const state = await this.users.findOne({
      where: { id },
      select: { id: true, email: true, role: true, name: true, active: true, tokenVersion: true },
    });
    if (!state) return null;
    this.authStates.put(state, ticket);
    return state;
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
  async insert(
    user: Pick<User, 'email' | 'passwordHash' | 'role' | 'name'>,
    manager?: EntityManager,
  ): Promise<User | null> {
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

  /**
   * Returns false when the new email belongs to someone else. `revoke` raises the token version in
   * the same statement, so every token issued before the change is refused from then on.
   */
  async update(
    id: string,
    changes: Partial<Pick<User, 'email' | 'passwordHash' | 'role' | 'name' | 'active'>>,
    revoke = false,
    manager?: EntityManager,
  ): Promise<boolean> {
    try {
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, value]) => value !== undefined),
      ) as QueryDeepPartialEntity<User>;
      if (typeof defined.email === 'string') defined.email = defined.email.toLowerCase();
      if (revoke) defined.tokenVersion = () => '"token_version" + 1';
      if (Object.keys(defined).length > 0) {
        this.authStates.forget(id);
        await this.repo(manager).createQueryBuilder().update().set(defined).where('id = :id', { id }).execute();
        this.authStates.forget(id);
      }
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) return false;
      throw error;
    }
  }

  /** Locks the active admins' rows (in the caller's transaction), so two demotions cannot both pass the last-admin check. */
  async lockActiveAdminIds(manager: EntityManager): Promise<string[]> {
    const rows = await this.repo(manager)
      .createQueryBuilder('user')
      .select('user.id', 'id')
      .where(`user.role = 'admin' AND user.active`)
      .orderBy('user.id')
      .setLock('pessimistic_write')
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  findByIdForUpdate(id: string, manager: EntityManager): Promise<User | null> {
    return this.repo(manager)
      .createQueryBuilder('user')
      .where('user.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Replaces any earlier reset token (a newer request invalidates older links). */
  async storeResetToken(
    id: string,
    tokenHash: string,
    requestedAt: Date,
    expiresAt: Date,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update(
      { id },
      { resetTokenHash: tokenHash, resetRequestedAt: requestedAt, resetExpiresAt: expiresAt },
    );
  }

  findLiveByResetTokenHash(tokenHash: string, now: Date): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('user.reset_token_hash = :tokenHash AND user.reset_expires_at > :now AND user.active', { tokenHash, now })
      .getOne();
  }

  /**
   * Sets the password of the active user holding this live reset token, uses the token up and
   * revokes every earlier token, in one statement: a token works once, even when sent twice at once.
   */
  async consumeResetToken(tokenHash: string, now: Date, passwordHash: string): Promise<string | null> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ passwordHash, resetTokenHash: null, resetExpiresAt: null, tokenVersion: () => '"token_version" + 1' })
      .where('reset_token_hash = :tokenHash AND reset_expires_at > :now AND active', { tokenHash, now })
      .returning('id')
      .execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id ?? null;
    if (id) this.authStates.forget(id);
    return id;
  }

  /** Stores a new pending secret; refused (false) while two-factor sign-in is enabled. */
  async storePendingTotp(id: string, sealed: Buffer): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ totpSecret: sealed, totpLastStep: null })
      .where('id = :id AND totp_enabled_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Turns the pending secret on with the step of the code that proved it and the recovery codes' hashes. */
  async enableTotp(id: string, step: number, recoveryCodeHashes: string[], now: Date): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ totpEnabledAt: now, totpLastStep: step, recoveryCodeHashes })
      .where(
        'id = :id AND totp_enabled_at IS NULL AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < :step)',
        { id, step },
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Turns two-factor sign-in off and revokes every token (each carried the second factor). */
  async disableTotp(id: string): Promise<void> {
    this.authStates.forget(id);
    await this.users
      .createQueryBuilder()
      .update()
      .set({
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        recoveryCodeHashes: [],
        tokenVersion: () => '"token_version" + 1',
      })
      .where('id = :id', { id })
      .execute();
    this.authStates.forget(id);
  }

  /** Records an accepted TOTP step; false when that step (or a later one) was already used: a replay. */
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ totpLastStep: step })
      .where('id = :id AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < :step)', {
        id,
        step,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Uses up one recovery code; false when it is not (or no longer) one of the user's. */
  async useRecoveryCode(id: string, codeHash: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ recoveryCodeHashes: () => 'array_remove("recovery_code_hashes", :codeHash)' })
      .where('id = :id AND totp_enabled_at IS NOT NULL AND :codeHash = ANY("recovery_code_hashes")', { id, codeHash })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async delete(id: string, manager?: EntityManager): Promise<boolean> {
    this.authStates.forget(id);
    const result = await this.repo(manager).delete({ id });
    this.authStates.forget(id);
    return (result.affected ?? 0) > 0;
  }

  countActiveAdmins(): Promise<number> {
    return this.users.countBy({ role: 'admin', active: true });
  }
}
