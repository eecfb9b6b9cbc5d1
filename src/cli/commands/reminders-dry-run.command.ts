import { Command, CommandRunner, Option } from 'nest-commander';
import { Clock } from '../../common/clock';
import { DryRunQueryDto } from '../../reminders/dto/reminder-run.dto';
import { RemindersService } from '../../reminders/reminders.service';
import { CliOutput } from '../cli-output';
import { validateDto } from '../cli-support';

interface DryRunOptions {
  at?: string;
}

const ACTION_TEXT = {
  fire: 'would fire',
  missed: 'would be recorded as missed',
  skipped: 'would be recorded as skipped',
} as const;

@Command({
  name: 'reminders:dry-run',
  description:
    'Show what the reminder scheduler would record at a given instant, without recording or sending anything',
})
export class RemindersDryRunCommand extends CommandRunner {
  constructor(
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: DryRunOptions): Promise<void> {
    // The API's own query rule for `at`, so both accept and refuse the same instants.
    const { value, errors } = await validateDto(DryRunQueryDto, { at: options.at ?? this.clock.now().toISOString() });
    if (errors.length > 0) return this.output.fail(`--at: ${errors.join('; ')} (e.g. 2027-02-25T10:00:00+04:00)`);
    const at = new Date(value.at);
    const items = await this.reminders.dryRun(at);
    if (items.length === 0)
      return this.output.line(`At ${at.toISOString()} the reminder scheduler would record nothing.`);
    this.output.line(`At ${at.toISOString()} the reminder scheduler would record ${items.length} run(s):`);
    for (const item of items) {
      this.output.line(
        `  ${item.ruleName} (edition ${item.year}, due ${item.dueAt}) ${ACTION_TEXT[item.action] ?? item.action}`,
      );
    }
  }

  @Option({ flags: '--at <instant>', description: 'ISO 8601 instant, e.g. 2027-02-25T10:00:00+04:00; defaults to now' })
  parseAt(value: string): string {
    return value;
  }
}
