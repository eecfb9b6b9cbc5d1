import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { authConfig, AuthConfig } from '../config/auth.config';
import { UserView } from '../users/dto/user.dto';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AuthUser } from './auth.decorators';
import { TokenResponseDto } from './dto/login.dto';
import { MeView, RecoveryCodesView, TwoFactorSetupView } from './dto/two-factor.dto';
import { PasswordService } from '../users/password.service';
import { TwoFactorService } from './two-factor.service';

interface TokenPayload {
  sub: string;
  role: string;
  /** The user's token version when the token was issued; a later change of it refuses the token. */
  ver: number;
  /** Signed in with a second factor. */
  mfa: boolean;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly twoFactor: TwoFactorService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * One reply for an unknown email, a wrong password and a deactivated account, in the same time
   * (the password is checked in every case). Only after a right password does a user with
   * two-factor sign-in learn that a code is missing (`totp_required`) or wrong (`totp_invalid`).
   */
  async login(email: string, password: string, totp?: string): Promise<TokenResponseDto> {
    const user = await this.users.findByEmail(email.trim());
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid || !user.active) throw new UnauthorizedException(INVALID_CREDENTIALS);
    const mfa = user.totpEnabledAt !== null;
    if (mfa) {
      if (!totp)
        throw new UnauthorizedException({
          statusCode: 401,
          message: 'A two-factor code is required',
          error: 'Unauthorized',
          code: 'totp_required',
        });
      if (!(await this.twoFactor.accept(user, totp))) {
        throw new UnauthorizedException({
          statusCode: 401,
          message: 'The two-factor code is wrong or was already used',
          error: 'Unauthorized',
          code: 'totp_invalid',
        });
      }
    }
    const payload: TokenPayload = { sub: user.id, role: user.role, ver: user.tokenVersion, mfa };
    return { accessToken: await this.jwt.signAsync(payload), expiresIn: this.config.jwtTtlSeconds };
  }

  /**
   * The staff user behind a bearer token, or null when the token is invalid or expired, the user is
   * gone or deactivated, or the token was issued before the user's token version last changed.
   * The user's state comes from this instance's AuthStateCache, which every change of the user's
   * row (on any instance) empties for that user as soon as PostgreSQL's notification arrives, and
   * which is not used while this instance is not listening; otherwise it is read from the database.
   */
  async authenticate(token: string): Promise<AuthUser | null> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const user = await this.users.findAuthState(payload.sub);
    if (!user || !user.active || payload.ver !== user.tokenVersion) return null;
    const authUser: AuthUser = { id: user.id, email: user.email, role: user.role, name: user.name };
    if (this.twoFactorRequired(user) && payload.mfa !== true) authUser.enrolmentRequired = true;
    return authUser;
  }

  /** Ends the session: every token of the user issued until now is refused from then on, on every instance. */
  async logout(actor: AuthUser): Promise<void> {
    await this.users.update(actor.id, {}, true);
    this.logger.log({ userId: actor.id }, 'Signed out; earlier tokens revoked');
  }

  async me(actor: AuthUser): Promise<MeView> {
    const user = await this.existing(actor.id);
    return {
      ...UserView.of(user),
      twoFactorRequired: this.twoFactorRequired(user),
      enrolmentRequired: actor.enrolmentRequired === true,
    };
  }

  /** The user's own password change; every token issued before it (this one too) is refused from then on. */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.existing(actor.id);
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw new BadRequestException({
        statusCode: 400,
        message: ['currentPassword is not the current password'],
        error: 'Bad Request',
      });
    }
    await this.users.update(user.id, { passwordHash: await this.passwords.hash(newPassword) }, true);
    await this.audit.record({ actor, action: 'user.password-change', entityType: 'user', entityId: user.id });
    this.logger.log({ userId: user.id }, 'Password changed; earlier tokens revoked');
  }

  /** A new pending secret (replacing an earlier pending one); it takes effect once a code proves it. */
  async setupTwoFactor(actor: AuthUser): Promise<TwoFactorSetupView> {
    const { secret, otpauthUrl, sealed } = this.twoFactor.newSecret(actor.email);
    if (!(await this.users.storePendingTotp(actor.id, sealed)))
      throw new ConflictException('Two-factor sign-in is already on; turn it off first');
    return { secret, otpauthUrl };
  }

  async enableTwoFactor(actor: AuthUser, code: string): Promise<RecoveryCodesView> {
    const user = await this.existing(actor.id);
    if (user.totpEnabledAt) throw new ConflictException('Two-factor sign-in is already on');
    if (!user.totpSecret)
      throw new ConflictException('No two-factor setup is pending: call POST /auth/2fa/setup first');
    const step = await this.twoFactor.matchingStep(user, code);
    if (step === null)
      throw new BadRequestException({ statusCode: 400, message: ['totp is wrong or expired'], error: 'Bad Request' });
    const { codes, hashes } = this.twoFactor.recoveryCodes();
    if (!(await this.users.enableTotp(user.id, step, hashes, this.clock.now()))) {
      throw new BadRequestException({ statusCode: 400, message: ['totp is wrong or expired'], error: 'Bad Request' });
    }
    await this.audit.record({ actor, action: 'user.2fa-enable', entityType: 'user', entityId: user.id });
    return { recoveryCodes: codes };
  }

  /** Needs the password and a code; revokes every token. */
  async disableTwoFactor(actor: AuthUser, password: string, code: string): Promise<void> {
    const user = await this.existing(actor.id);
    if (!user.totpEnabledAt) throw new ConflictException('Two-factor sign-in is not on');
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      throw new BadRequestException({
        statusCode: 400,
        message: ['password is not the current password'],
        error: 'Bad Request',
      });
    }
    if (!(await this.twoFactor.accept(user, code)))
      throw new BadRequestException({
        statusCode: 400,
        message: ['totp is wrong or was already used'],
        error: 'Bad Request',
      });
    await this.users.disableTotp(user.id);
    await this.audit.record({ actor, action: 'user.2fa-disable', entityType: 'user', entityId: user.id });
  }

  private twoFactorRequired(user: Pick<User, 'role'>): boolean {
    return this.config.staffTwoFactor === 'required' && user.role === 'admin';
  }

  private async existing(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }
}
