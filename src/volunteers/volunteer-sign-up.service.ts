import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { editionNotFound } from '../common/errors/refusal';
import { EntityManager } from 'typeorm';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { Clock } from '../common/clock';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { TransactionService } from '../database/transaction.service';
import { JobContext, JobHandler, JobResult } from '../jobs/job-handler.decorator';
import { Jobs } from '../jobs/jobs.service';
import type { OutgoingMail } from '../mail/mail.types';
import { MetricsService } from '../metrics/metrics.service';
import { ConfirmedVolunteerView, SignUpAcceptedView, SignUpVolunteerDto } from './dto/volunteer.dto';
import { checkRoleChoice, VolunteerEnrolment } from './volunteer-enrolment.service';
import { VolunteerMailer } from './volunteer-mailer.service';
import { VolunteerRolesRepository } from './volunteer-roles.repository';
import { shiftsOf, TOKEN_MISS } from './volunteer-views';
import type { Volunteer } from './volunteer.entity';
import { VolunteersRepository } from './volunteers.repository';

/** One reply for every sign-up, new address or known, so the endpoint tells nobody who is registered. */
export const SIGN_UP_ACCEPTED: SignUpAcceptedView = {
  status: 'accepted',
  message:
    'Thank you. If this address can receive mail, a message with a confirmation link is on its way; nothing is reserved until you confirm.',
};

/** The job kind of a volunteer sign-up, decided after the answer (`decideSignUp`). */
export const VOLUNTEER_SIGN_UP = 'volunteer.sign-up';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A volunteer sign-up as the answer wrote it, decided after the answer (`decideSignUp`). */
export interface SignUpRequest {
  ceremonyId: string;
  roleIds: string[];
  email: string;
  name: string;
  phone: string | null;
  languages: string[] | null;
  note: string | null;
  locale: string | null;
  consentReminders: boolean;
  /** ISO time of the request: the resend window and the expiry count from it. */
  requestedAt: string;
  /**
   * The confirmation token, drawn with the answer (the job is sealed): the decision stores its
   * hash, so a rerun of the job finds its own decision and mails the same link. Absent from
   * requests written before it was added; their token is drawn when decided.
   */
  token?: string;
}

/** How a sign-up decided outside the job runner counts: a first run, which spends the recipient's mail bound. */
const FIRST_RUN: JobContext = { id: 'direct', kind: VOLUNTEER_SIGN_UP, attempts: 1 };

/**
 * What became of a sign-up: a new pending volunteer, a re-send of the link to a known pending
 * address, nothing (a confirmed address, or a re-send within the window), or dropped (its edition
 * hidden, or a role removed or changed, since the answer).
 */
export type SignUpOutcome = 'created' | 'resent' | 'unchanged' | 'dropped';

/** What a re-sign-up asks for, kept sealed with its own link until the owner of the address confirms it. */
type RequestedDetails = Pick<
  SignUpRequest,
  'name' | 'phone' | 'languages' | 'note' | 'locale' | 'consentReminders' | 'roleIds'
>;

/** The public sign-up and its double opt-in: the answer, the decision after it, and the confirmation link. */
@Injectable()
export class VolunteerSignUpService {
  private readonly logger = new Logger(VolunteerSignUpService.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly volunteers: VolunteersRepository,
    private readonly roles: VolunteerRolesRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly enrolment: VolunteerEnrolment,
    private readonly mailer: VolunteerMailer,
    private readonly jobs: Jobs,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  /**
   * The job of a sign-up: its decision, then its mail, sent in this job (a dropped request, or
   * one that changes nothing, is done: nothing is retried). A failed send throws, and the job runs
   * again: the decision is then found made (the token is the request's), and the same mail is sent.
   */
  @JobHandler(VOLUNTEER_SIGN_UP)
  async runSignUpJob(request: SignUpRequest, job: JobContext): Promise<JobResult> {
    return (await this.decideAndSend(request, job)).result;
  }

  /**
   * Checks the edition and the roles (neither depends on the address), then writes the sign-up as
   * one sealed job and answers; it is decided after the answer (`decideSignUp`). So the
   * reply and its time are the same whether the address is new, pending or confirmed.
   */
  async signUp(dto: SignUpVolunteerDto): Promise<SignUpAcceptedView> {
    const choice = await this.volunteers.findSignUpChoice(dto.ceremonyId, dto.roleIds);
    if (!choice.edition) throw editionNotFound();
    const check = checkRoleChoice(dto.ceremonyId, dto.roleIds, choice.roles);
    if (check.refusal) throw check.refusal;
    const request: SignUpRequest = {
      ceremonyId: dto.ceremonyId,
      roleIds: dto.roleIds,
      email: dto.email,
      name: dto.name,
      phone: dto.phone ?? null,
      languages: dto.languages ?? null,
      note: dto.note ?? null,
      locale: dto.locale ?? null,
      consentReminders: dto.consentReminders,
      requestedAt: this.clock.now().toISOString(),
      token: generateToken().token,
    };
    await this.jobs.enqueue(VOLUNTEER_SIGN_UP, [request]);
    this.metrics.signups.inc({ kind: 'volunteer', step: 'requested' });
    return SIGN_UP_ACCEPTED;
  }

  /**
   * Takes a sign-up after the answer and sends its mail. A new address becomes a pending volunteer
   * and gets the opt-in mail. A known address (same edition, any case) makes no second volunteer:
   * while still pending, the request's details and roles are kept sealed with a link of their own
   * and mailed to the address (the first re-send at once, then at most one per
   * SIGNUP_RESEND_MINUTES); the stored volunteer does not change until its owner confirms one of
   * the links (`confirm`). Otherwise nothing happens. Times count from the request. An edition
   * hidden or a role removed since the answer drops the request: an outcome, not an error, so it
   * is not retried. Run again (a crash, a failed send), a request that carries its token finds its
   * own decision by that token and sends the same mail again, changing nothing; one without
   * (written before requests carried it) counts as a repeat of the address: at most one more mail,
   * with a link of its own. Unexpected errors (the database, SMTP) are thrown, so it is retried.
   */
  async decideSignUp(request: SignUpRequest, job: JobContext = FIRST_RUN): Promise<SignUpOutcome> {
    return (await this.decideAndSend(request, job)).outcome;
  }

  private async decideAndSend(
    request: SignUpRequest,
    job: JobContext,
  ): Promise<{ outcome: SignUpOutcome; result: JobResult }> {
    const { outcome, mail } = await this.decide(request);
    return { outcome, result: mail ? await this.mailer.send(mail, job) : undefined };
  }

  private async decide(request: SignUpRequest): Promise<{ outcome: SignUpOutcome; mail: OutgoingMail | null }> {
    const token = request.token ? { token: request.token, hash: hashToken(request.token) } : generateToken();
    const now = new Date(request.requestedAt);
    const expiresAt = new Date(now.getTime() + this.scheduler.signupExpiryHours * HOUR_MS);
    const details = {
      name: request.name,
      phone: request.phone,
      languages: request.languages,
      note: request.note,
      locale: request.locale,
      consentReminders: request.consentReminders,
    };
    // The checks of the answer again: a refusal now means the edition was hidden, or a role removed
    // or changed, meanwhile.
    const choice = await this.volunteers.findSignUpChoice(request.ceremonyId, request.roleIds);
    const ceremony = choice.edition;
    const check = ceremony && checkRoleChoice(ceremony.id, request.roleIds, choice.roles);
    if (!ceremony || !check || !check.roles) {
      this.logger.warn(
        { ceremonyId: request.ceremonyId, outcome: 'dropped' },
        'A volunteer sign-up was dropped: its edition was hidden, or one of its roles removed or changed, since it was made',
      );
      return { outcome: 'dropped', mail: null };
    }
    const roles = check.roles;
    const volunteerId = await this.volunteers.insertPendingWithRoles({
      ...details,
      ceremonyId: ceremony.id,
      roleIds: request.roleIds,
      email: request.email,
      tokenHash: token.hash,
      expiresAt,
    });
    const repeat = volunteerId
      ? null
      : await this.transactions.run((manager) =>
          this.decideRepeat(request, token.hash, { ...details, roleIds: request.roleIds }, now, expiresAt, manager),
        );
    if (repeat === 'unchanged') return { outcome: 'unchanged', mail: null };
    const mail = this.mailer.compose(
      'confirm-request',
      // A re-send goes to the address as first stored; the address itself never changes here.
      { name: request.name, email: repeat ? repeat.email : request.email, locale: details.locale },
      ceremony,
      { assigned: shiftsOf(roles) },
      {
        link: `${this.app.publicBaseUrl}/p/volunteer/confirm?token=${token.token}${details.locale ? `&lang=${details.locale}` : ''}`,
        expiresAt,
        details: { phone: details.phone, consentReminders: details.consentReminders },
      },
    );
    return { outcome: repeat ? repeat.outcome : 'created', mail };
  }

  /**
   * A sign-up for an address already known in that edition, in the caller's transaction (the
   * volunteer's row locked). Its own earlier decision (this token's hash stored) is sent again as
   * it was; otherwise a pending volunteer gets a re-send with a link of its own, at most one per window.
   */
  private async decideRepeat(
    request: SignUpRequest,
    tokenHash: string,
    waiting: RequestedDetails,
    now: Date,
    expiresAt: Date,
    manager: EntityManager,
  ): Promise<{ outcome: 'created' | 'resent'; email: string | null } | 'unchanged'> {
    const known = await this.volunteers.findByEmailForUpdate(request.ceremonyId, request.email, manager);
    if (!known || known.status !== 'pending') return 'unchanged';
    if (known.tokenHash === tokenHash) return { outcome: 'created', email: known.email };
    if (request.token && (await this.volunteers.hasSignupRequest(tokenHash, manager)))
      return { outcome: 'resent', email: known.email };
    // The first re-send goes at once (the first mail may be lost); then one per window.
    const lastResent = known.confirmationResentAt?.getTime();
    if (lastResent !== undefined && now.getTime() - lastResent < this.scheduler.signupResendMinutes * MINUTE_MS)
      return 'unchanged';
    // Anyone may type the address: the details wait with their own link, and only its owner applies them.
    await this.volunteers.addSignupRequest(
      { volunteerId: known.id, tokenHash, sealed: this.mailer.seal(waiting), expiresAt },
      manager,
    );
    await this.volunteers.update(known.id, { confirmationResentAt: now }, manager);
    return { outcome: 'resent', email: known.email };
  }

  /**
   * Idempotent: a confirmed token answers the same view again and changes nothing. A link mailed
   * for a re-sign-up confirms exactly the details it was sent for, which replace the stored ones;
   * its token becomes the private one. Every link of a pending sign-up works until it expires; the
   * first one confirmed wins and the others stop working.
   */
  async confirm(token: string): Promise<ConfirmedVolunteerView> {
    if (!isWellFormedToken(token)) throw new NotFoundException(TOKEN_MISS);
    const view = await this.transactions.run(async (manager) => {
      const mails: Array<OutgoingMail | null> = [];
      const volunteer =
        (await this.volunteers.lockLiveByTokenHash(hashToken(token), this.clock.now(), manager)) ??
        (await this.applySignupRequest(token, manager));
      if (volunteer.status === 'pending') {
        const ceremony = (await this.ceremonies.findById(volunteer.ceremonyId, manager)) as Ceremony;
        mails.push(await this.enrolment.confirmPending(volunteer, ceremony, token, manager));
        this.metrics.signups.inc({ kind: 'volunteer', step: 'confirmed' });
      }
      await this.mailer.enqueue(mails, manager);
      return this.enrolment.viewOf(volunteer.id, manager, await this.enrolment.readerOf(volunteer, [], manager));
    });
    return { ...view, manageToken: token, manageUrl: this.enrolment.manageUrl(token) };
  }

  /**
   * The owner of the address confirmed the link of a re-sign-up: its details and roles replace
   * the stored ones, and its token becomes the volunteer's. A 404 like any miss when the link is
   * unknown, expired, or its volunteer was confirmed by another link meanwhile.
   */
  private async applySignupRequest(token: string, manager: EntityManager): Promise<Volunteer> {
    const tokenHash = hashToken(token);
    const request = await this.volunteers.findLiveSignupRequest(tokenHash, this.clock.now(), manager);
    const volunteer = request && (await this.volunteers.lockById(request.volunteerId, manager));
    if (!request || !volunteer || volunteer.status !== 'pending') throw new NotFoundException(TOKEN_MISS);
    const { roleIds, ...details } = this.mailer.open<RequestedDetails>(request.sealed);
    // Roles removed since the request are left out; the others are checked again.
    const existing = (await this.roles.findByIds(roleIds, manager))
      .filter((role) => role.ceremonyId === volunteer.ceremonyId)
      .map((role) => role.id);
    await this.enrolment.rolesOfEdition(volunteer.ceremonyId, existing, manager);
    await this.volunteers.update(volunteer.id, { ...details, tokenHash, expiresAt: request.expiresAt }, manager);
    const current = await this.volunteers.assignments([volunteer.id], manager);
    await this.volunteers.removeAssignments(
      volunteer.id,
      current.map((row) => row.roleId),
      manager,
    );
    await this.volunteers.requestRoles(volunteer.id, existing, manager);
    return (await this.volunteers.findById(volunteer.id, manager)) as Volunteer;
  }
}
