import { Command, CommandRunner, Option } from 'nest-commander';
import { SuppressionsRepository } from '../../mailings/suppressions.repository';
import { CreateSubscriptionDto } from '../../subscriptions/dto/subscription.dto';
import { SubscriptionsService } from '../../subscriptions/subscriptions.service';
import { CliOutput } from '../cli-output';
import { clientErrorMessages, validateDto } from '../cli-support';
import { CsvRow, ImportReport, readCsvRows, UnusableFileError } from '../csv-import';

interface ImportSubscribersOptions {
  report?: string;
}

export const SUBSCRIBER_COLUMNS = { required: ['email'], optional: ['name', 'locale'] } as const;

@Command({
  name: 'import:subscribers',
  arguments: '<file>',
  description:
    'Invite the addresses of a CSV file to subscribe: each gets the opt-in mail and becomes a subscriber when it confirms',
})
export class ImportSubscribersCommand extends CommandRunner {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly suppressions: SuppressionsRepository,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[], options: ImportSubscribersOptions): Promise<void> {
    let rows: CsvRow[];
    try {
      rows = await readCsvRows(file, SUBSCRIBER_COLUMNS);
    } catch (error) {
      if (error instanceof UnusableFileError) return this.output.fail(error.message);
      throw error;
    }
    const report = new ImportReport(rows.length);
    for (const row of rows) {
      const { values } = row;
      if (row.shapeError) {
        report.reject(row, values.email, [`the row ${row.shapeError}`]);
        continue;
      }
      const { value, errors } = await validateDto(CreateSubscriptionDto, {
        email: values.email || undefined,
        name: values.name || undefined,
        locale: values.locale || undefined,
      });
      if (errors.length > 0) {
        report.reject(row, values.email, errors);
        continue;
      }
      // Whoever unsubscribed (or bounced) is not written to again on someone else's list; they can subscribe themselves.
      if (await this.suppressions.isSuppressed(value.email)) {
        report.reject(row, values.email, [
          'this address unsubscribed or cannot receive mail; only its owner can subscribe it again',
        ]);
        continue;
      }
      try {
        // The public double opt-in's rules, mail and re-send throttle, decided at once.
        await this.subscriptions.subscribeNow(value);
        report.imported++;
      } catch (error) {
        const messages = clientErrorMessages(error);
        if (!messages) throw error;
        report.reject(row, values.email, messages);
      }
    }
    report.print(this.output, 'addresses');
    if (report.imported > 0)
      this.output.line(
        'Each imported address was sent the opt-in mail (at most once per SIGNUP_RESEND_MINUTES); it becomes a subscriber when it confirms.',
      );
    if (options.report) {
      await report.write(options.report);
      this.output.line(`Rejected rows written to ${options.report}.`);
    }
  }

  @Option({
    flags: '--report <file>',
    description: 'Also write the rejected rows (line, email, reasons) to this CSV file',
  })
  parseReport(value: string): string {
    return value;
  }
}
