import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { retentionConfig, RetentionConfig } from '../config/retention.config';
import { TransactionService } from '../database/transaction.service';
import { Jobs } from '../jobs/jobs.service';
import { Tick } from '../jobs/job-handler.decorator';
import { RetentionView } from './dto/retention.dto';
import { ErasedCounts, RetentionRepository } from './retention.repository';

/**
 * Erases the personal data of an edition's visitors, volunteers and mail ledger RETENTION_DAYS
 * after its date. Each edition is erased once, in one transaction with its audit entry (counts only).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly retention: RetentionRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly jobs: Jobs,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  /** Erases every edition that is due; returns how many editions this call erased. Hourly. */
  @Tick('retention', '17 * * * *')
  async eraseDue(now: Date): Promise<number> {
    if (this.config.days === 0) return 0;
    const started = Date.now();
    const due = await this.retention.findDue(this.config.days, now);
    let erased = 0;
    for (const edition of due) {
      const counts = await this.transactions.run(async (manager): Promise<ErasedCounts | null> => {
        if (!(await this.retention.claim(edition.id, now, manager))) return null;
        const result: ErasedCounts = {
          bookings: await this.retention.eraseBookings(edition.id, now, manager),
          volunteers: await this.retention.eraseVolunteers(edition.id, manager),
          deliveries: await this.retention.eraseDeliveries(edition.id, manager),
          outbox: await this.jobs.purgeFailed(edition.dueAt, manager),
        };
        await this.retention.recordCounts(edition.id, result, manager);
        await this.audit.record(
          {
            actor: null,
            action: 'retention.erase',
            entityType: 'ceremony',
            entityId: edition.id,
            after: { retentionDays: this.config.days, ...result },
          },
          manager,
        );
        return result;
      });
      if (counts) {
        erased += 1;
        this.logger.log(
          { ceremonyId: edition.id, year: edition.year, ...counts, durationMs: Date.now() - started },
          'Personal data of an edition erased',
        );
      }
    }
    return erased;
  }

  /** For the overview: when the edition's erasure is due, and when it ran with what it erased. */
  async statusOf(ceremonyId: string): Promise<RetentionView> {
    const run = await this.retention.findRun(ceremonyId);
    const dueAt = this.config.days === 0 ? null : await this.retention.dueAt(ceremonyId, this.config.days);
    return {
      retentionDays: this.config.days,
      dueAt,
      erasedAt: run?.erasedAt ?? null,
      erased: run
        ? { bookings: run.bookings, volunteers: run.volunteers, deliveries: run.deliveries, outbox: run.outbox }
        : null,
    };
  }
}
