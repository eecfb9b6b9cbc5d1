import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/staff';
import { PasswordService } from './password.service';
import { authConfig, AuthConfig } from '../config/auth.config';
import { TransactionService } from '../database/transaction.service';
import { Page } from '../common/pagination';
import { CreateUserDto, UpdateUserDto, UserView } from './dto/user.dto';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionService,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /** Creates the first admin when no staff user exists yet. */
  async ensureFirstAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    let password = this.auth.adminPassword;
    const email = this.auth.adminEmail ?? 'admin@localhost';
    const generated = !password;
    if (!password) {
      if (!this.auth.generateAdmin) {
        this.logger.warn(
          'No staff user exists: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run cli -- user:create`',
        );
        return;
      }
      password = randomBytes(12).toString('base64url');
    }
    const user = await this.users.insert({
      email,
      passwordHash: await this.passwords.hash(password),
      role: 'admin',
      name: 'Administrator',
    });
    if (!user) return; // another instance created it first
    await this.audit.record({
      actor: null,
      action: 'user.bootstrap',
      entityType: 'user',
      entityId: user.id,
      after: UserView.of(user),
    });
    if (generated) {
      // Printed once, straight to the terminal and not into the structured log.
      process.stdout.write(
        `\n  First administrator created.\n  Email:    ${email}\n  Password: ${password}\n  It is shown only this once; log in at POST /auth/login and change it with POST /auth/password.\n\n`,
      );
    } else {
      this.logger.log(`First administrator ${email} created from ADMIN_EMAIL/ADMIN_PASSWORD`);
    }
  }

  async findActive(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  async list(limit: number, offset: number): Promise<Page<UserView>> {
    const [users, total] = await this.users.list(limit, offset);
    return { items: users.map(UserView.of), total };
  }

  async createUser(actor: AuthUser, dto: CreateUserDto): Promise<UserView> {
    const user = await this.users.insert({
      email: dto.email,
      passwordHash: await this.passwords.hash(dto.password),
      role: dto.role,
      name: dto.name,
    });
    if (!user) throw new ConflictException(`A user with email ${dto.email.toLowerCase()} already exists`);
    await this.audit.record({
      actor,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      after: UserView.of(user),
    });
    return UserView.of(user);
  }

  /**
   * An admin's change of a staff user. A new password, a role change or a (de)activation revokes
   * every token the user holds. The last active admin cannot be deactivated or demoted, nor can
   * admins deactivate or demote themselves; the active admins' rows are locked for the check, so two
   * admins demoting each other at once cannot both succeed.
   */
  async updateUser(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    const passwordHash = dto.password ? await this.passwords.hash(dto.password) : undefined;
    return this.transactions.run(async (manager) => {
      const activeAdmins = await this.users.lockActiveAdminIds(manager);
      const before = await this.users.findByIdForUpdate(id, manager);
      if (!before) throw new NotFoundException('User not found');
      const demoted = before.role === 'admin' && dto.role !== undefined && dto.role !== 'admin';
      const deactivated = before.active && dto.active === false;
      if ((demoted || deactivated) && id === actor.id)
        throw new ConflictException('You cannot deactivate or demote your own account');
      if ((demoted || deactivated) && before.active && before.role === 'admin' && activeAdmins.length <= 1) {
        throw new ConflictException('The last active admin cannot be deactivated or lose the admin role');
      }
      const revoke =
        passwordHash !== undefined ||
        (dto.role !== undefined && dto.role !== before.role) ||
        (dto.active !== undefined && dto.active !== before.active);
      const updated = await this.users.update(
        id,
        { email: dto.email, name: dto.name, role: dto.role, active: dto.active, passwordHash },
        revoke,
        manager,
      );
      if (!updated) throw new ConflictException(`A user with email ${dto.email?.toLowerCase()} already exists`);
      const after = (await this.users.findByIdForUpdate(id, manager)) as User;
      await this.audit.record(
        {
          actor,
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          before: UserView.of(before),
          after: { ...UserView.of(after), ...(passwordHash ? { passwordChanged: true } : {}) },
        },
        manager,
      );
      return UserView.of(after);
    });
  }

  async deleteUser(actor: AuthUser, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const activeAdmins = await this.users.lockActiveAdminIds(manager);
      const user = await this.users.findByIdForUpdate(id, manager);
      if (!user) throw new NotFoundException('User not found');
      if (user.id === actor.id) throw new ConflictException('You cannot delete your own account');
      if (user.role === 'admin' && user.active && activeAdmins.length <= 1)
        throw new ConflictException('The last active admin cannot be deleted');
      await this.users.delete(id, manager);
      await this.audit.record(
        { actor, action: 'user.delete', entityType: 'user', entityId: id, before: UserView.of(user) },
        manager,
      );
    });
  }
}
