/** How long the first outcome may wait for others before a write starts, and how many end the wait. */
export interface GroupCommitLinger {
  ms: number;
  /** A write starts at once when this many outcomes are waiting. */
  upTo: number;
}

/**
 * Group commit for the outcomes of every queue (mailing deliveries, jobs). Every SMTP worker
 * waits until its outcome is committed before it hands over its next one (so a crash leaves only
 * a bounded number of unrecorded messages per worker), but the workers do not each pay a round
 * trip and a commit: outcomes that arrive while a write is in progress go to the database
 * together in the next one. With a `linger`, each write first waits up to `ms` for more outcomes
 * (or until `upTo` are waiting): worth it only where the workers go on sending meanwhile, as the
 * mailing workers do.
 */
export class GroupCommit<T> {
  private waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;
  private lingerEnds?: () => void;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly linger: GroupCommitLinger = { ms: 0, upTo: 1 },
  ) {}

  /** Resolves once the item is committed; rejects if the write failed. */
  record(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.linger.upTo) this.lingerEnds?.();
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        // Also after a write: the outcomes that came in meanwhile are fewer than the connections.
        if (this.linger.ms > 0 && this.waiting.length < this.linger.upTo) await this.lingerForMore();
        const group = this.waiting.splice(0);
        try {
          await this.write(group.map((entry) => entry.item));
          for (const entry of group) entry.resolve();
        } catch (error) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private lingerForMore(): Promise<void> {
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.lingerEnds = undefined;
        resolve();
      };
      const timer = setTimeout(end, this.linger.ms);
      this.lingerEnds = end;
    });
  }
}
