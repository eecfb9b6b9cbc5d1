import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import { authConfig, AuthConfig } from '../config/auth.config';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { TransactionService } from '../database/transaction.service';
import { JobHandler } from '../jobs/job-handler.decorator';
import { Jobs } from '../jobs/jobs.service';
import { MailQueue } from '../mail/mail-queue.service';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AuthUser } from './auth.decorators';
import { PasswordResetAcceptedView } from './dto/password.dto';
import { passwordResetMessage, resetDonePage, resetFormPage, resetLinkInvalidPage } from './password-reset-messages';
import { passwordProblem } from '../users/password-policy';
import { PasswordService } from '../users/password.service';

/** The job kind of a reset request, decided after the answer. */
const RESET_REQUEST = 'staff.password-reset.request';

const ACCEPTED: PasswordResetAcceptedView = {
  status: 'accepted',
  message: 'If this address belongs to an active staff account, a link to choose a new password has been sent to it.',
};

interface ResetRequest {
  /** As typed; looked up lower-cased. */
  email: string;
  /** ISO time of the request: the expiry counts from it, and a rerun after a crash recognises it. */
  requestedAt: string;
}

/** The page a form post is answered with, and its status. */
export interface ResetPageResult {
  status: number;
  html: string;
}

@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly mail: MailQueue,
    private readonly jobs: Jobs,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  /**
   * The public request. The same reply and the same work (one sealed job) for every address:
   * the lookup and the mail happen after the answer (`decide`), so neither tells whether the
   * address belongs to a staff account.
   */
  async request(email: string): Promise<PasswordResetAcceptedView> {
    await this.jobs.enqueue(RESET_REQUEST, [
      { email, requestedAt: this.clock.now().toISOString() } satisfies ResetRequest,
    ]);
    return ACCEPTED;
  }

  /** An admin sends a user the reset mail (at once: an admin may know who has an account). */
  async requestFor(actor: AuthUser, userId: string): Promise<PasswordResetAcceptedView> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('User not found');
    if (!user.active) throw new ConflictException('The user is deactivated; activate the account first');
    await this.issue(user, this.clock.now());
    await this.audit.record({ actor, action: 'user.password-reset-request', entityType: 'user', entityId: user.id });
    return ACCEPTED;
  }

  /**
   * Decides a public request (as a job): an active staff user gets a fresh link,
   * anyone else nothing. Run again after a crash, it finds the link its first run stored (requested
   * at the same time) and sends nothing more.
   */
  @JobHandler(RESET_REQUEST)
  async decide(request: ResetRequest): Promise<void> {
    const user = await this.users.findByEmail(request.email);
    const requestedAt = new Date(request.requestedAt);
    if (!user || !user.active) return;
    if (user.resetRequestedAt && user.resetRequestedAt.getTime() >= requestedAt.getTime()) return;
    await this.issue(user, requestedAt);
  }

  /** Stores a new token (replacing any earlier one) and writes the mail in the same transaction. */
  private async issue(user: User, requestedAt: Date): Promise<void> {
    const { token, hash } = generateToken();
    const ttl = this.auth.passwordResetTtlMinutes;
    const link = `${this.app.publicBaseUrl}/console/password-reset?token=${token}`;
    await this.transactions.run(async (manager) => {
      await this.users.storeResetToken(
        user.id,
        hash,
        requestedAt,
        new Date(requestedAt.getTime() + ttl * 60_000),
        manager,
      );
      await this.mail.enqueue(
        [
          {
            kind: 'staff.password-reset.link',
            to: { address: user.email, name: user.name },
            ...passwordResetMessage(this.commemoration.name, user.name, link, ttl),
            language: 'en',
          },
        ],
        manager,
      );
    });
    this.logger.log({ userId: user.id }, 'Password reset link sent');
  }

  /** Sets the new password with a live token, uses the token up and revokes every earlier token; one 404 for any token that cannot be used. */
  async confirm(token: string, password: string): Promise<void> {
    const now = this.clock.now();
    const live = isWellFormedToken(token) ? await this.users.findLiveByResetTokenHash(hashToken(token), now) : null;
    if (!live) throw new NotFoundException('The reset link is invalid, was already used or has expired');
    const userId = await this.users.consumeResetToken(hashToken(token), now, await this.passwords.hash(password));
    if (!userId) throw new NotFoundException('The reset link is invalid, was already used or has expired');
    await this.audit.record({
      actor: { id: live.id, email: live.email, role: live.role, name: live.name },
      action: 'user.password-reset',
      entityType: 'user',
      entityId: userId,
    });
  }

  /** The page behind the emailed link: the form, or a page saying the link cannot be used (404). */
  async formPage(token: string | undefined): Promise<ResetPageResult> {
    const live = isWellFormedToken(token)
      ? await this.users.findLiveByResetTokenHash(hashToken(token), this.clock.now())
      : null;
    return live ? { status: 200, html: resetFormPage(token as string) } : { status: 404, html: resetLinkInvalidPage() };
  }

  /** The form's post: the same rules as the API (passwordProblem), answered with a page. */
  async confirmFromForm(token: string, password: string, passwordRepeat: string): Promise<ResetPageResult> {
    const problem =
      password !== passwordRepeat
        ? 'The two passwords differ; type the same new password twice.'
        : passwordProblem('password', password);
    if (problem) {
      const page = await this.formPage(token);
      return page.status === 200 ? { status: 400, html: resetFormPage(token, problem) } : page;
    }
    try {
      await this.confirm(token, password);
    } catch (error) {
      if (error instanceof NotFoundException) return { status: 404, html: resetLinkInvalidPage() };
      throw error;
    }
    return { status: 200, html: resetDonePage() };
  }
}
