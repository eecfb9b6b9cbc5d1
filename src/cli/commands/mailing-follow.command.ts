import { NotFoundException } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommandRunner, Option } from 'nest-commander';
import { setTimeout as delay } from 'node:timers/promises';
import type { MailingView } from '../../mailings/dto/mailing.dto';
import { MailingsService } from '../../mailings/mailings.service';
import { CliOutput } from '../cli-output';

interface MailingFollowOptions {
  interval: number;
}

/** States a mailing does not leave. */
const FINISHED = new Set(['sent', 'cancelled', 'stopped']);
/** After this long without any change, say once why nothing may be moving. */
const STALL_HINT_MS = 60_000;

const settled = (view: MailingView) =>
  view.counts.sent + view.counts.failed + view.counts.skipped + view.counts.cancelled;

function payload(view: MailingView) {
  return {
    status: view.status,
    sent: view.counts.sent,
    failed: view.counts.failed,
    skipped: view.counts.skipped,
    rate: view.rate?.lastMinute ?? 0,
  };
}

@Command({
  name: 'mailing:follow',
  arguments: '<mailingId>',
  description: 'Show a mailing’s progress (sent, failed, skipped of total, rate) until it finishes, then a summary',
})
export class MailingFollowCommand extends CommandRunner {
  constructor(
    private readonly mailings: MailingsService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([id]: string[], options: MailingFollowOptions): Promise<void> {
    if (!isUUID(id)) return this.output.fail('mailingId must be a UUID');
    let view: MailingView;
    try {
      view = await this.mailings.getMailing(id);
    } catch (error) {
      if (error instanceof NotFoundException) return this.output.fail(`Mailing ${id} not found`);
      throw error;
    }
    if (view.status === 'draft')
      return this.output.fail(
        `Mailing "${view.name}" is a draft: nothing is sent until it is (POST /mailings/${id}/send)`,
      );

    const started = Date.now();
    // The bar goes to standard error; standard output gets only the summary.
    const bar = new SingleBar(
      {
        stream: this.output.progressStream,
        format: '{bar} {value}/{total} | sent {sent}, failed {failed}, skipped {skipped} | {rate}/min | {status}',
        noTTYOutput: true,
        notTTYSchedule: 1000,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(view.counts.total, settled(view), payload(view));
    const interrupted = new AbortController();
    const onInterrupt = () => interrupted.abort();
    process.once('SIGINT', onInterrupt);
    let lastChange = Date.now();
    let hinted = false;
    try {
      while (!FINISHED.has(view.status) && !interrupted.signal.aborted) {
        await delay(options.interval, undefined, { signal: interrupted.signal }).catch(() => undefined);
        if (interrupted.signal.aborted) break;
        const next = await this.mailings.getMailing(id);
        if (settled(next) !== settled(view) || next.status !== view.status) lastChange = Date.now();
        view = next;
        bar.setTotal(view.counts.total);
        bar.update(settled(view), payload(view));
        if (!hinted && Date.now() - lastChange > STALL_HINT_MS) {
          hinted = true;
          this.output.error(
            `\nNo progress for ${STALL_HINT_MS / 1000} s${view.status === 'scheduled' ? ` (scheduled for ${view.sendAt?.toISOString()})` : ''}: mail is sent by a running server with SCHEDULER_ENABLED, never by the CLI.`,
          );
        }
      }
    } finally {
      process.removeListener('SIGINT', onInterrupt);
      bar.stop();
    }

    const { sent, failed, skipped, cancelled, total } = view.counts;
    const seconds = Math.round((Date.now() - started) / 1000);
    const counts = `${sent} sent, ${failed} failed, ${skipped} skipped${cancelled ? `, ${cancelled} cancelled` : ''} of ${total}`;
    if (interrupted.signal.aborted) {
      this.output.line(
        `Stopped following mailing "${view.name}" (${view.status}): ${counts} so far. The mailing itself goes on.`,
      );
      process.exitCode = 130;
      return;
    }
    this.output.line(`Mailing "${view.name}" ${view.status}: ${counts} (followed ${seconds} s).`);
    if (view.status === 'stopped') this.output.fail(`It was stopped: ${view.stoppedReason ?? 'no reason recorded'}`);
  }

  @Option({ flags: '--interval <ms>', description: 'How often to look, in milliseconds', defaultValue: 1000 })
  parseInterval(value: string): number {
    const interval = Number(value);
    return Number.isInteger(interval) && interval >= 100 ? interval : 1000;
  }
}
