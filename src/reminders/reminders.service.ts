import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Ceremony } from '../ceremonies/ceremony.entity';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { TransactionService } from '../database/transaction.service';
import { decideRun, reminderDueAt } from './due-time';
import { DryRunItem, ReminderRunView } from './dto/reminder-run.dto';
import { ReminderRuleDto, ReminderRuleView } from './dto/reminder-rule.dto';
import { contentProblems } from '../mailings/mailing-templates';
import { Tick } from '../jobs/job-handler.decorator';
import { JobsInstance } from '../jobs/jobs-instance';
import { MailingsService } from '../mailings/mailings.service';
import { ReminderTemplateDto, ReminderTemplateView } from './dto/reminder-template.dto';
import { ReminderRule } from './reminder-rule.entity';
import { RemindersRepository } from './reminders.repository';

interface DueCandidate {
  rule: ReminderRule;
  ceremony: Ceremony;
  dueAt: Date;
}

export interface TickResult {
  fired: number;
  missed: number;
  skipped: number;
}

/** How far back the scheduler looks for editions: far enough to record runs missed during long downtime. */
const LOOK_BACK_DAYS = 30;

@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly reminders: RemindersRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly mailings: MailingsService,
    private readonly instance: JobsInstance,
    @Inject(schedulerConfig.KEY) private readonly config: SchedulerConfig,
  ) {}

  async listRules(now: Date): Promise<ReminderRuleView[]> {
    return this.withNextDue(await this.reminders.listRules(), now);
  }

  /**
   * Each rule with the run the scheduler will record next: over the published editions, the earliest
   * due time (reminderDueAt, as the tick computes it) not yet passed and without a run.
   */
  private async withNextDue(rules: ReminderRule[], now: Date): Promise<ReminderRuleView[]> {
    const since = DateTime.fromJSDate(now).minus({ days: 1 }).toISODate() as string;
    const editions = await this.reminders.publishedEditionsSince(since);
    const recorded = new Set(
      (await this.reminders.runsFor(editions.map((edition) => edition.id))).map(
        (run) => `${run.ruleId}/${run.ceremonyId}`,
      ),
    );
    return rules.map((rule) => {
      if (!rule.enabled) return ReminderRuleView.of(rule);
      const upcoming = editions
        .filter((ceremony) => !recorded.has(`${rule.id}/${ceremony.id}`))
        .map((ceremony) => ({
          dueAt: reminderDueAt({
            ceremonyDate: ceremony.date,
            timeZone: ceremony.timeZone,
            offsetDays: rule.offsetDays,
            sendTime: rule.sendTime,
          }),
          timeZone: ceremony.timeZone,
          year: ceremony.year,
        }))
        .filter((next) => next.dueAt.getTime() >= now.getTime())
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      return ReminderRuleView.of(rule, upcoming[0] ?? null);
    });
  }

  /** Replaces the rule set: rules with an id are updated, without one added, the rest removed. */
  async replaceRules(actor: AuthUser, rules: ReminderRuleDto[], now: Date): Promise<ReminderRuleView[]> {
    const keys = [...new Set(rules.map((rule) => rule.templateKey))];
    const known = await this.reminders.existingTemplateKeys(keys);
    const unknown = keys.filter((key) => !known.has(key));
    if (unknown.length > 0)
      throw new BadRequestException([`templateKey ${unknown.join(', ')} does not name a reminder template`]);
    const ids = rules.map((rule) => rule.id).filter((id): id is string => Boolean(id));
    if (new Set(ids).size !== ids.length) throw new BadRequestException(['id must not repeat']);
    const saved = await this.transactions.run(async (manager) => {
      const before = await this.reminders.listRules(manager);
      const existing = new Set(before.map((rule) => rule.id));
      const missing = ids.filter((id) => !existing.has(id));
      if (missing.length > 0)
        throw new BadRequestException([`id ${missing.join(', ')} does not name an existing rule`]);
      await this.reminders.deleteRulesExcept(ids, manager);
      for (const rule of rules) await this.reminders.saveRule(rule, manager);
      const after = await this.reminders.listRules(manager);
      const plain = (rule: ReminderRule) => ReminderRuleView.of(rule);
      await this.audit.record(
        {
          actor,
          action: 'reminder-rules.replace',
          entityType: 'reminder-rules',
          before: { rules: before.map(plain) },
          after: { rules: after.map(plain) },
        },
        manager,
      );
      return after;
    });
    return this.withNextDue(saved, now);
  }

  async listTemplates(): Promise<ReminderTemplateView[]> {
    return (await this.reminders.listTemplates()).map(ReminderTemplateView.of);
  }

  /** Changes a reminder's texts; the same template checks as a mailing (unknown variables are a 400). */
  async updateTemplate(actor: AuthUser, key: string, dto: ReminderTemplateDto): Promise<ReminderTemplateView> {
    const before = await this.reminders.findTemplate(key);
    if (!before) throw new NotFoundException('Reminder template not found');
    const content = JSON.parse(JSON.stringify(dto.content)) as ReminderTemplateDto['content'];
    const problems = contentProblems(content);
    if (problems.length > 0) throw new BadRequestException(problems);
    const after = await this.reminders.saveTemplate(key, content);
    await this.audit.record({
      actor,
      action: 'reminder-template.update',
      entityType: 'reminder-template',
      entityId: key,
      before,
      after,
    });
    return ReminderTemplateView.of(after);
  }

  /** Every (enabled rule, published edition) pair without a run yet, with its due time. */
  private async pendingCandidates(now: Date): Promise<DueCandidate[]> {
    const since = DateTime.fromJSDate(now).minus({ days: LOOK_BACK_DAYS }).toISODate() as string;
    const [rules, editions] = await Promise.all([
      this.reminders.findEnabledRules(),
      this.reminders.publishedEditionsSince(since),
    ]);
    if (rules.length === 0 || editions.length === 0) return [];
    const recorded = new Set(
      (await this.reminders.runsFor(editions.map((edition) => edition.id))).map(
        (run) => `${run.ruleId}/${run.ceremonyId}`,
      ),
    );
    return editions.flatMap((ceremony) =>
      rules
        .filter((rule) => !recorded.has(`${rule.id}/${ceremony.id}`))
        .map((rule) => ({
          rule,
          ceremony,
          dueAt: reminderDueAt({
            ceremonyDate: ceremony.date,
            timeZone: ceremony.timeZone,
            offsetDays: rule.offsetDays,
            sendTime: rule.sendTime,
          }),
        })),
    );
  }

  private decide(candidate: DueCandidate, now: Date) {
    return decideRun({
      dueAt: candidate.dueAt,
      now,
      publishedAt: candidate.ceremony.publishedAt,
      ruleCreatedAt: candidate.rule.createdAt,
      catchUpHours: this.config.catchUpHours,
    });
  }

  /** What a tick at `at` would do, without doing it. */
  async dryRun(at: Date): Promise<DryRunItem[]> {
    const items: DryRunItem[] = [];
    for (const candidate of await this.pendingCandidates(at)) {
      const action = this.decide(candidate, at);
      if (action === 'not-due') continue;
      items.push({
        ruleId: candidate.rule.id,
        ruleName: candidate.rule.name,
        ceremonyId: candidate.ceremony.id,
        year: candidate.ceremony.year,
        dueAt: candidate.dueAt.toISOString(),
        action,
      });
    }
    return items;
  }

  /**
   * One scheduler tick: records every due run once. A run that fires gets its mailing (audience
   * frozen) in the same transaction as the run row, so a crash leaves either both or neither.
   * On REMINDER_CRON, and once at start to catch up after downtime.
   */
  @Tick('reminders', (settings) => settings.reminderCron, { atStart: true })
  async tick(now: Date): Promise<TickResult> {
    const started = Date.now();
    const result: TickResult = { fired: 0, missed: 0, skipped: 0 };
    for (const candidate of await this.pendingCandidates(now)) {
      const decision = this.decide(candidate, now);
      if (decision === 'not-due') continue;
      const recorded = await this.transactions.run(async (manager) => {
        const runId = await this.reminders.insertRunOnce(
          {
            ruleId: candidate.rule.id,
            ceremonyId: candidate.ceremony.id,
            year: candidate.ceremony.year,
            dueAt: candidate.dueAt,
            status: decision === 'fire' ? 'fired' : decision,
            firedAt: decision === 'fire' ? now : null,
            recordedBy: this.instance.id,
          },
          manager,
        );
        if (!runId || decision !== 'fire') return Boolean(runId);
        const template = await this.reminders.findTemplate(candidate.rule.templateKey, manager);
        if (!template) throw new Error(`Reminder template ${candidate.rule.templateKey} is missing`);
        const mailingId = await this.mailings.createAndSendWithin(manager, {
          name: `${candidate.rule.name} (${candidate.ceremony.year})`,
          audience: { kind: candidate.rule.audience, ceremonyId: candidate.ceremony.id, purpose: 'reminder' },
          content: template.content,
          origin: 'reminder',
        });
        await this.reminders.attachMailing(runId, mailingId, manager);
        return true;
      });
      if (!recorded) continue; // another instance or tick recorded it first
      result[decision === 'fire' ? 'fired' : decision] += 1;
      this.metrics.reminderRuns.inc({ status: decision === 'fire' ? 'fired' : decision });
      this.logger.log(
        {
          ruleId: candidate.rule.id,
          ceremonyId: candidate.ceremony.id,
          dueAt: candidate.dueAt.toISOString(),
          status: decision,
        },
        'Reminder run recorded',
      );
    }
    if (result.fired + result.missed + result.skipped > 0)
      this.logger.log({ ...result, durationMs: Date.now() - started }, 'Reminder tick done');
    return result;
  }

  /** Per rule and edition: the due time, what happened, and the mailing's counts. */
  async listRuns(now: Date, year?: number): Promise<ReminderRunView[]> {
    const editions = year
      ? await this.reminders.editionsOfYear(year)
      : await this.reminders.publishedEditionsSince(
          DateTime.fromJSDate(now).minus({ days: 365 }).toISODate() as string,
        );
    return this.runsOf(now, editions);
  }

  /** The same for editions the caller has already read (one edition: its console overview). */
  async runsOf(
    now: Date,
    editions: ReadonlyArray<Pick<Ceremony, 'id' | 'year' | 'date' | 'timeZone'>>,
  ): Promise<ReminderRunView[]> {
    const [rules, runs] = await Promise.all([
      this.reminders.listRules(),
      this.reminders.runsFor(editions.map((edition) => edition.id)),
    ]);
    const runByKey = new Map(runs.map((run) => [`${run.ruleId}/${run.ceremonyId}`, run]));
    const counts = await this.mailings.countsFor(
      runs.map((run) => run.mailingId).filter((id): id is string => Boolean(id)),
    );
    const views: ReminderRunView[] = [];
    for (const ceremony of editions) {
      for (const rule of rules) {
        const run = runByKey.get(`${rule.id}/${ceremony.id}`);
        if (!run && !rule.enabled) continue;
        const dueAt =
          run?.dueAt ??
          reminderDueAt({
            ceremonyDate: ceremony.date,
            timeZone: ceremony.timeZone,
            offsetDays: rule.offsetDays,
            sendTime: rule.sendTime,
          });
        views.push({
          ruleId: rule.id,
          ruleName: rule.name,
          ceremonyId: ceremony.id,
          year: ceremony.year,
          dueAt: dueAt.toISOString(),
          firedAt: run?.firedAt?.toISOString() ?? null,
          mailingId: run?.mailingId ?? null,
          status: run ? run.status : dueAt.getTime() > now.getTime() ? 'scheduled' : 'due',
          counts: run?.mailingId ? counts.get(run.mailingId) : undefined,
        });
      }
    }
    return views.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }
}
