import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CsvColumn, toCsv } from '../common/csv';
import { Page } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { SuppressionQueryDto, SuppressionView } from './dto/suppression.dto';
import { SuppressionsRepository } from './suppressions.repository';

const COLUMNS: CsvColumn<SuppressionView>[] = [
  { header: 'email', value: (row) => row.email },
  { header: 'reason', value: (row) => row.reason },
  { header: 'source', value: (row) => row.source },
  { header: 'created_at', value: (row) => row.createdAt },
];

/** The addresses no bulk mail goes to, for admins to see, and bounces they may lift. */
@Injectable()
export class SuppressionsService {
  constructor(
    private readonly suppressions: SuppressionsRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async listSuppressions(query: SuppressionQueryDto): Promise<Page<SuppressionView> | string> {
    const csv = query.format === 'csv';
    const [items, total] = await this.suppressions.list(
      { reason: query.reason, q: query.q },
      csv ? null : { limit: query.limit, offset: query.offset },
    );
    return csv ? toCsv(items, COLUMNS) : { items, total };
  }

  /**
   * Lifts a bounce (the mailbox works again): later mailings and reminders reach the address.
   * An unsubscribe or an erasure is the person's own choice: only they lift it, by opting in again.
   */
  async removeBounce(actor: AuthUser, email: string): Promise<void> {
    if (email.length === 0 || email.length > 254)
      throw new BadRequestException(['email must be an address of at most 254 characters']);
    await this.transactions.run(async (manager) => {
      const suppression = await this.suppressions.lockByEmail(email, manager);
      if (!suppression) throw new NotFoundException('This address is not suppressed');
      if (suppression.reason !== 'bounced') {
        throw new ConflictException(
          `This address is suppressed as ${suppression.reason}: only its owner can lift that, by subscribing again`,
        );
      }
      await this.suppressions.remove(suppression.email, manager);
      await this.audit.record(
        { actor, action: 'suppression.remove', entityType: 'suppression', before: suppression },
        manager,
      );
    });
  }
}
