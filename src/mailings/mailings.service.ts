import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { badRequest } from '../common/errors/refusal';
import { CsvColumn, instantColumns, toCsv } from '../common/csv';
import { Page } from '../common/pagination';
import { generateToken } from '../common/tokens';
import { commemorationConfig, CommemorationConfig, Locale } from '../config/commemoration.config';
import { TransactionService } from '../database/transaction.service';
import { MailService } from '../mail/mail.service';
import { AudienceSources, AudienceSpec } from './audience-sources';
import { DeliveriesRepository } from './deliveries.repository';
import { JobWakeups } from '../jobs/job-wakeups';
import { DELIVERIES_QUEUE } from './deliveries.queue';
import type { Delivery, DeliveryStatus } from './delivery.entity';
import {
  AudienceCountView,
  CreateMailingDto,
  DeliveryView,
  MailingView,
  PreviewView,
  TemplateVariablesView,
  TestSentView,
  UpdateMailingDto,
} from './dto/mailing.dto';
import { Mailing, MailingAudience, MailingContent } from './mailing.entity';
import { MailingRenderer } from './mailing-renderer';
import { contentProblemEntries, TEMPLATE_VARIABLE_DESCRIPTIONS, TEMPLATE_VARIABLES } from './mailing-templates';
import { MailingsRepository } from './mailings.repository';
import type { EntityManager } from 'typeorm';

/** What another feature (e.g. annual reminders) passes to create and send a mailing in one call. */
export interface MailingRequest {
  name: string;
  audience: AudienceSpec;
  content: MailingContent;
  /** Start sending at this instant; now when absent or past. */
  at?: Date;
  /** Who asked for it, e.g. "reminder". */
  origin?: string;
}

const CSV_PAGE = 1000;

@Injectable()
export class MailingsService {
  constructor(
    private readonly mailings: MailingsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly sources: AudienceSources,
    private readonly renderer: MailingRenderer,
    private readonly mail: MailService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly wakeups: JobWakeups,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  /** One validator for create, update and programmatic use: audience servable, templates known. */
  private async validate(audience: AudienceSpec, content: MailingContent): Promise<void> {
    this.sources.resolve(audience);
    const problems = contentProblemEntries(content);
    if (problems.length > 0)
      throw badRequest(
        problems.map((problem) => problem.english),
        problems,
      );
    await this.validateCeremony(audience);
  }

  private async validateCeremony(audience: AudienceSpec): Promise<void> {
    if (audience.ceremonyId && !(await this.ceremonies.exists(audience.ceremonyId))) {
      throw new BadRequestException(`audience.ceremonyId ${audience.ceremonyId} is not an edition`);
    }
  }

  private static audienceOf(audience: AudienceSpec): MailingAudience {
    return {
      kind: audience.kind,
      ceremonyId: audience.ceremonyId ?? null,
      filters: audience.filters ?? null,
      ...(audience.purpose ? { purpose: audience.purpose } : {}),
    };
  }

  private static contentOf(content: CreateMailingDto['content']): MailingContent {
    // Plain objects: what is stored in jsonb, without DTO prototypes or undefined keys.
    return JSON.parse(JSON.stringify(content)) as MailingContent;
  }

  async createMailing(actor: AuthUser | null, dto: CreateMailingDto, origin = 'staff'): Promise<MailingView> {
    const audience = MailingsService.audienceOf(dto.audience);
    const content = MailingsService.contentOf(dto.content);
    await this.validate(audience, content);
    const mailing = await this.transactions.run((manager) =>
      this.insertMailing(actor, dto.name, audience, content, origin, manager),
    );
    return this.view(mailing);
  }

  private async insertMailing(
    actor: AuthUser | null,
    name: string,
    audience: MailingAudience,
    content: MailingContent,
    origin: string,
    manager: EntityManager,
  ): Promise<Mailing> {
    const created = await this.mailings.insert(
      { name, audience, ceremonyId: audience.ceremonyId ?? null, content, origin, createdBy: actor?.id ?? null },
      manager,
    );
    await this.audit.record(
      { actor, action: 'mailing.create', entityType: 'mailing', entityId: created.id, after: created },
      manager,
    );
    return created;
  }

  async updateMailing(actor: AuthUser, id: string, dto: UpdateMailingDto): Promise<MailingView> {
    const updated = await this.transactions.run(async (manager) => {
      const before = await this.mailings.findForUpdate(id, manager);
      if (!before) throw new NotFoundException('Mailing not found');
      if (before.status !== 'draft')
        throw new ConflictException(`Mailing is ${before.status}; only a draft can be edited`);
      const audience = dto.audience ? MailingsService.audienceOf(dto.audience) : before.audience;
      const content = dto.content ? MailingsService.contentOf(dto.content) : before.content;
      await this.validate(audience, content);
      await this.mailings.update(
        id,
        { name: dto.name ?? before.name, audience, ceremonyId: audience.ceremonyId ?? null, content },
        manager,
      );
      const after = (await this.mailings.findById(id, manager))!;
      await this.audit.record(
        { actor, action: 'mailing.update', entityType: 'mailing', entityId: id, before, after },
        manager,
      );
      return after;
    });
    return this.view(updated);
  }

  /** The variables a template may use: the same list the check on save and the renderer use. */
  listTemplateVariables(): TemplateVariablesView {
    return { items: TEMPLATE_VARIABLES.map((name) => ({ name, description: TEMPLATE_VARIABLE_DESCRIPTIONS[name] })) };
  }

  /** How many people a send of this audience would mail if it were frozen now (nothing is written). */
  async countAudience(dto: CreateMailingDto['audience']): Promise<AudienceCountView> {
    const audience = MailingsService.audienceOf(dto);
    this.sources.resolve(audience);
    await this.validateCeremony(audience);
    return { recipients: await this.deliveries.countAudience(audience) };
  }

  async getMailing(id: string): Promise<MailingView> {
    return this.view(await this.findOrThrow(id), true);
  }

  async listMailings(limit: number, offset: number): Promise<Page<MailingView>> {
    const [mailings, total] = await this.mailings.list(limit, offset);
    const counts = await this.mailings.counts(mailings.map((mailing) => mailing.id));
    return { items: mailings.map((mailing) => MailingView.of(mailing, counts.get(mailing.id)!)), total };
  }

  private async view(mailing: Mailing, withRate = false): Promise<MailingView> {
    const counts = (await this.mailings.counts([mailing.id])).get(mailing.id)!;
    return MailingView.of(mailing, counts, withRate ? await this.mailings.rate(mailing.id) : undefined);
  }

  private async findOrThrow(id: string): Promise<Mailing> {
    const mailing = await this.mailings.findById(id);
    if (!mailing) throw new NotFoundException('Mailing not found');
    return mailing;
  }

  /** One recipient's message: a real audience member when `sample` is one, else a sample recipient. */
  async previewMailing(id: string, sample?: string, locale?: Locale): Promise<PreviewView> {
    const mailing = await this.findOrThrow(id);
    const member = sample ? await this.deliveries.findAudienceMember(mailing.audience, sample) : null;
    const recipient = member
      ? { email: member.email.toLowerCase(), name: member.name, locale: member.locale, manageUrl: member.manage_url }
      : {
          email: sample?.toLowerCase() ?? 'recipient@example.org',
          name: 'Sample Recipient',
          locale: locale ?? null,
          manageUrl: null,
        };
    const prepared = await this.renderer.prepare(mailing);
    const message = prepared.render(recipient, this.renderer.unsubscribeUrl('preview-token'));
    return { audienceMember: !!member, email: recipient.email, name: recipient.name, ...message };
  }

  /** Sends one copy to one address, outside the ledger, marked as a test. */
  async sendTest(actor: AuthUser, id: string, email: string, locale?: Locale): Promise<TestSentView> {
    const mailing = await this.findOrThrow(id);
    const prepared = await this.renderer.prepare(mailing);
    const message = prepared.render(
      { email, name: 'Sample Recipient', locale: locale ?? null, manageUrl: null },
      this.renderer.unsubscribeUrl(generateToken().token),
    );
    const sent = await this.mail.send({
      to: { address: email },
      subject: `[TEST] ${message.subject}`,
      text: message.text,
      html: message.html,
      language: message.locale,
    });
    await this.audit.record({
      actor,
      action: 'mailing.test',
      entityType: 'mailing',
      entityId: id,
      after: { sentTo: email },
    });
    return { sentTo: email, messageId: sent.messageId };
  }

  /**
   * Freezes the audience into the ledger (one set-based statement) and schedules sending. The
   * mailing row is locked, so two concurrent sends freeze once; a second send is a 409.
   */
  async sendMailing(actor: AuthUser | null, id: string, at?: Date): Promise<MailingView> {
    const mailing = await this.transactions.run((manager) => this.freezeAndSchedule(actor, id, at, manager));
    return this.view(mailing);
  }

  private async freezeAndSchedule(
    actor: AuthUser | null,
    id: string,
    at: Date | undefined,
    manager: EntityManager,
  ): Promise<Mailing> {
    const now = this.clock.now();
    const dueAt = at && at > now ? at : now;
    const before = await this.mailings.findForUpdate(id, manager);
    if (!before) throw new NotFoundException('Mailing not found');
    if (before.status !== 'draft') throw new ConflictException(`Mailing is already ${before.status}`);
    this.sources.resolve(before.audience);
    const recipients = await this.deliveries.freeze(id, before.audience, dueAt, manager);
    const status = recipients === 0 ? 'sent' : dueAt > now ? 'scheduled' : 'sending';
    await this.mailings.update(
      id,
      { status, sendAt: dueAt, frozenAt: now, completedAt: recipients === 0 ? now : null },
      manager,
    );
    await this.audit.record(
      {
        actor,
        action: 'mailing.send',
        entityType: 'mailing',
        entityId: id,
        before: { status: before.status },
        after: { status, sendAt: dueAt, recipients },
      },
      manager,
    );
    // Every instance's delivery runner wakes when this commits (a reminder's mailing too).
    if (status === 'sending') await this.wakeups.notify(DELIVERIES_QUEUE, manager);
    return (await this.mailings.findById(id, manager))!;
  }

  /** For other features (annual reminders): create and send in one call; returns the mailing id. */
  async createAndSend(request: MailingRequest, actor: AuthUser | null = null): Promise<string> {
    return this.transactions.run((manager) => this.createAndSendWithin(manager, request, actor));
  }

  /**
   * Creates a mailing and freezes its audience inside the caller's transaction, so what the caller
   * records about it (e.g. a reminder run) commits or rolls back together with it.
   */
  async createAndSendWithin(
    manager: EntityManager,
    request: MailingRequest,
    actor: AuthUser | null = null,
  ): Promise<string> {
    const audience = MailingsService.audienceOf(request.audience);
    const content = MailingsService.contentOf(request.content as CreateMailingDto['content']);
    await this.validate(audience, content);
    const created = await this.insertMailing(
      actor,
      request.name,
      audience,
      content,
      request.origin ?? 'system',
      manager,
    );
    await this.freezeAndSchedule(actor, created.id, request.at, manager);
    return created.id;
  }

  /** Right to erasure: the person behind this source record disappears from every mailing's ledger. */
  forgetRecipient(sourceType: string, sourceId: string, manager: EntityManager): Promise<void> {
    return this.deliveries.forgetRecipient(sourceType, sourceId, manager);
  }

  /** Delivery counts of several mailings (for overviews such as reminder runs). */
  countsFor(ids: string[]) {
    return this.mailings.counts(ids);
  }

  /** Stops what is not yet sent; messages already with the SMTP server finish and are recorded. */
  async cancelMailing(actor: AuthUser, id: string): Promise<MailingView> {
    const mailing = await this.transactions.run(async (manager) => {
      const before = await this.mailings.findForUpdate(id, manager);
      if (!before) throw new NotFoundException('Mailing not found');
      if (['sent', 'cancelled'].includes(before.status))
        throw new ConflictException(`Mailing is already ${before.status}`);
      const cancelled = await this.deliveries.cancelQueued(id, manager);
      await this.mailings.update(id, { status: 'cancelled', cancelledAt: this.clock.now() }, manager);
      await this.audit.record(
        {
          actor,
          action: 'mailing.cancel',
          entityType: 'mailing',
          entityId: id,
          before: { status: before.status },
          after: { status: 'cancelled', cancelledDeliveries: cancelled },
        },
        manager,
      );
      return (await this.mailings.findById(id, manager))!;
    });
    return this.view(mailing);
  }

  async listDeliveries(
    id: string,
    status: DeliveryStatus | undefined,
    limit: number,
    offset: number,
  ): Promise<Page<DeliveryView>> {
    await this.findOrThrow(id);
    const [rows, total] = await this.deliveries.list(id, status, limit, offset);
    return { items: rows.map(DeliveryView.of), total };
  }

  /** The whole ledger of a mailing as CSV, read in keyset pages. */
  async deliveriesCsv(id: string, status: DeliveryStatus | undefined): Promise<string> {
    const mailing = await this.findOrThrow(id);
    // Times in the zone of the edition the mailing speaks of, as its recipients read them.
    const ceremony = await this.ceremonies.findSpokenOf(
      mailing.ceremonyId,
      this.clock.now().toISOString().slice(0, 10),
    );
    const timeZone = ceremony?.timeZone ?? this.commemoration.defaultTimeZone;
    const columns: CsvColumn<Delivery>[] = [
      { header: 'email', value: (row) => row.email },
      { header: 'name', value: (row) => row.name },
      { header: 'locale', value: (row) => row.locale },
      { header: 'source', value: (row) => row.sourceType },
      { header: 'status', value: (row) => row.status },
      { header: 'attempts', value: (row) => row.attempts },
      ...instantColumns<Delivery>('sentAt', (row) => row.sentAt, timeZone),
      { header: 'messageId', value: (row) => row.messageId },
      { header: 'smtpResponse', value: (row) => row.smtpResponse },
      { header: 'skipReason', value: (row) => row.skipReason },
    ];
    const chunks: string[] = [];
    let after = '0';
    for (;;) {
      const rows = await this.deliveries.listAfter(id, status, after, CSV_PAGE);
      chunks.push(toCsv(rows, columns, { header: chunks.length === 0 }));
      if (rows.length < CSV_PAGE) break;
      after = String(rows[rows.length - 1].id);
    }
    return chunks.join('');
  }
}
