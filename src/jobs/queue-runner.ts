import { Logger } from '@nestjs/common';
import { finishesWithin } from '../common/finishes-within';
import { GroupCommit, GroupCommitLinger } from './group-commit';

export interface QueueSettings {
  /** Rows one claim may take. */
  batchSize: number;
  /** Items run at once per instance (for mail: one per pooled SMTP connection). */
  concurrency: number;
  /** How often an idle instance looks for due rows that no wake-up announced (retries, expired leases). */
  pollMs: number;
  /** How long a stopping instance waits for the items in flight. */
  shutdownWaitMs: number;
}

export interface ClaimedBatch<Item> {
  /** Rows the claim took, including any it settled itself (e.g. deliveries skipped at claim). */
  claimed: number;
  /** How many it asked for: fewer claimed means nothing more is due now. */
  limit: number;
  items: Item[];
}

export interface BatchReport<Item, Outcome> {
  batch: ClaimedBatch<Item>;
  /** The outcomes that were committed. */
  recorded: Outcome[];
  /** Items given back unrun (the instance is stopping). */
  released: number;
  ms: number;
}

/**
 * What a queue is: how its rows are claimed, run, recorded and given back. The rows live in the
 * queue's own table (jobs, deliveries), claimed with FOR UPDATE SKIP LOCKED under a lease, so any
 * number of instances may run the same queue; QueueRunner owns everything else.
 */
export interface QueueDefinition<Item, Outcome> {
  readonly name: string;
  readonly settings: QueueSettings;
  /** Outcomes wait this long for others before their write starts (see GroupCommit). */
  readonly linger?: GroupCommitLinger;
  /**
   * true: a worker's outcome is committed before it runs its next item (at most one item per
   * worker run without a recorded outcome after a crash); false: the next item runs while the
   * last outcome is written (at most two), which keeps SMTP connections busy during writes.
   */
  readonly recordBeforeNext: boolean;
  /** Claims due rows for this instance; null when none may be claimed now (e.g. a spent budget). */
  claim(instanceId: string, limit: number): Promise<ClaimedBatch<Item> | null>;
  /** Runs one item; never throws: the outcome says what happened. */
  run(item: Item): Promise<Outcome>;
  /** Writes outcomes in one statement; only rows this instance still holds change. */
  record(outcomes: Outcome[], instanceId: string): Promise<void>;
  /** Gives claimed rows back unrun, due at once, the claim not counted as an attempt. */
  release(items: Item[], instanceId: string): Promise<void>;
  hasDue(): Promise<boolean>;
  /** Whether the next batch may be claimed while the last items of a full one run. */
  mayClaimAhead?(): boolean;
  /** A batch claimed ahead, checked again before it runs: what may no longer run is given back. */
  recheck?(items: Item[], instanceId: string): Promise<Item[]>;
  afterBatch?(report: BatchReport<Item, Outcome>): Promise<void>;
  /** A claim came back short: the queue is drained for now. */
  afterDrained?(): Promise<void>;
}

/**
 * Runs one queue on this instance: woken after a commit (any instance's, through LISTEN/NOTIFY)
 * and polling for what no wake-up announces; a bounded pool of workers over each claimed batch;
 * outcomes written in groups; a bounded, clean shutdown that gives unrun rows back.
 */
export class QueueRunner<Item, Outcome> {
  private readonly logger: Logger;
  private readonly outcomes: GroupCommit<Outcome>;
  private stopping = false;
  private loop?: Promise<void>;
  /** Set by `wake`; ends (or skips) the wait for the next poll. */
  private woken = false;
  private polling = true;
  private endWait: (() => void) | null = null;
  /** Claims and batches of this instance not finished yet (for `settled`). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private manual: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly queue: QueueDefinition<Item, Outcome>,
    readonly instanceId: string,
  ) {
    this.logger = new Logger(`Queue ${queue.name}`);
    this.outcomes = new GroupCommit((outcomes) => queue.record(outcomes, instanceId), queue.linger);
  }

  get name(): string {
    return this.queue.name;
  }

  /**
   * Starts the loop of a running server. `poll: false` runs only what wake-ups announce (an
   * instance without the scheduler role); retries and expired leases are left to the pollers.
   */
  start(options: { poll: boolean } = { poll: true }): void {
    if (this.loop || this.stopping) return;
    this.polling = options.poll;
    const { batchSize, concurrency } = this.queue.settings;
    this.logger.log(
      `Started on ${this.instanceId} (batch ${batchSize}, ${concurrency} at once${options.poll ? '' : ', woken only'})`,
    );
    this.loop = this.run();
  }

  /** Work is waiting: claim at once instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.endWait?.();
  }

  /** Stops claiming; waits (bounded) for the items in flight; false when they did not finish in time. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    this.wake();
    const finished = await finishesWithin(
      Promise.allSettled([this.loop, this.manual, ...this.inFlight]),
      this.queue.settings.shutdownWaitMs,
    );
    if (!finished)
      this.logger.warn(
        `Did not finish within ${this.queue.settings.shutdownWaitMs} ms; rows still claimed are run again after the lease`,
      );
    return finished;
  }

  /**
   * Claims and runs one batch on the caller's behalf; resolves to how many rows it claimed.
   * Calls run one after the other. For tests, tools and a command-line process, which has no loop.
   */
  processDueBatch(): Promise<number> {
    const next = this.manual.catch(() => 0).then(() => this.processBatch());
    this.manual = next;
    return next;
  }

  /** Resolves once nothing is due and nothing claimed here is unfinished (tests; a command before it exits). */
  async settled(): Promise<void> {
    for (;;) {
      while (!this.stopping && (await this.processDueBatch()) > 0);
      if (this.inFlight.size > 0) {
        await Promise.allSettled([...this.inFlight]);
        continue;
      }
      if (this.stopping || !(await this.queue.hasDue())) {
        if (this.inFlight.size === 0) return;
      }
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  private async processBatch(): Promise<number> {
    if (this.stopping) return 0;
    const batch = await this.queue.claim(this.instanceId, this.queue.settings.batchSize);
    if (!batch) return 0;
    if (batch.claimed > 0) await this.runBatch(batch);
    if (batch.claimed < batch.limit) await this.queue.afterDrained?.();
    return batch.claimed;
  }

  private claim(): Promise<ClaimedBatch<Item> | null> {
    if (this.stopping) return Promise.resolve(null);
    return this.track(this.queue.claim(this.instanceId, this.queue.settings.batchSize));
  }

  /**
   * While a queue has more due rows than a batch, the next batch is claimed while the last items
   * of the current one run, so the workers do not wait for the database between batches.
   */
  private async run(): Promise<void> {
    const state: { ahead: Promise<ClaimedBatch<Item> | null> | null } = { ahead: null };
    while (!this.stopping) {
      let batch: ClaimedBatch<Item> | null = null;
      try {
        batch = await this.track(this.step(state));
      } catch (error) {
        this.logger.error({ err: error }, 'A batch failed; its rows are run again after the lease');
      }
      const short = !batch || batch.claimed < batch.limit;
      if (short && !state.ahead && !this.stopping) await this.waitForPoll();
    }
    const left = state.ahead ? await state.ahead : null;
    if (left && left.items.length > 0)
      await this.queue
        .release(left.items, this.instanceId)
        .catch((error: unknown) =>
          this.logger.error({ err: error }, 'Could not give back a batch claimed ahead; it runs again after the lease'),
        );
  }

  private async step(state: { ahead: Promise<ClaimedBatch<Item> | null> | null }) {
    this.woken = false;
    const claimedAhead = state.ahead !== null;
    let batch = await (state.ahead ?? this.claim());
    state.ahead = null;
    if (batch && claimedAhead && this.queue.recheck)
      batch = { ...batch, items: await this.queue.recheck(batch.items, this.instanceId) };
    if (batch && batch.claimed > 0) {
      const full = batch.claimed === batch.limit && (this.queue.mayClaimAhead?.() ?? false);
      // Handled at once: a failed claim ahead must not be an unhandled rejection while this batch runs.
      const claimAhead = () =>
        (state.ahead = this.claim().catch(
          (error: unknown) => (this.logger.error({ err: error }, 'Claiming the next batch failed'), null),
        ));
      await this.runBatch(batch, full ? claimAhead : undefined);
    }
    if (batch && batch.claimed < batch.limit) await this.queue.afterDrained?.();
    return batch;
  }

  /** Waits the poll interval (without polling: until woken), or less when woken or stopping. */
  private async waitForPoll(): Promise<void> {
    if (this.woken || this.stopping) return;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.endWait = null;
        resolve();
      };
      if (this.polling) timer = setTimeout(done, this.queue.settings.pollMs);
      this.endWait = done;
    });
  }

  /** At most `concurrency` items run at once; each outcome is committed (grouped with others) before the worker's next but one. */
  private async runBatch(batch: ClaimedBatch<Item>, onLastHandedOut?: () => void): Promise<void> {
    const started = Date.now();
    const waiting = [...batch.items];
    const recorded: Outcome[] = [];
    let released = 0;
    const take = () => {
      const item = waiting.shift();
      if (waiting.length === 0 && onLastHandedOut && !this.stopping) {
        onLastHandedOut();
        onLastHandedOut = undefined;
      }
      return item;
    };
    const worker = async () => {
      let recording: Promise<void> = Promise.resolve();
      for (let item = take(); item !== undefined; item = take()) {
        if (this.stopping) {
          const rest = [item, ...waiting.splice(0)];
          released += rest.length;
          await this.queue
            .release(rest, this.instanceId)
            .catch((error: unknown) =>
              this.logger.error({ err: error }, 'Could not give back unrun rows; they run again after the lease'),
            );
          break;
        }
        const outcome = await this.queue.run(item);
        await recording;
        recording = this.record(outcome, recorded);
        if (this.queue.recordBeforeNext) await recording;
      }
      await recording;
    };
    await Promise.all(Array.from({ length: Math.max(1, this.queue.settings.concurrency) }, worker));
    await this.queue.afterBatch?.({ batch, recorded, released, ms: Date.now() - started });
  }

  /** A database error is not a failure of the work: the row stays claimed and runs again after the lease. */
  private async record(outcome: Outcome, recorded: Outcome[]): Promise<void> {
    try {
      await this.outcomes.record(outcome);
      recorded.push(outcome);
    } catch (error) {
      this.logger.error({ err: error }, 'An outcome could not be recorded; its row runs again after the lease');
    }
  }
}
