/**
 * Group commit for outcomes of sent mail (mailing deliveries, the mail outbox). Every SMTP worker
 * waits until its outcome is committed before it starts its next message (so a crash leaves at
 * most one unrecorded message per worker), but the workers do not each pay a round trip and a
 * commit: outcomes that arrive while a write is in progress go to the database together in the
 * next one.
 */
export class GroupCommit<T> {
  private waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  /** Resolves once the item is committed; rejects if the write failed. */
  record(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
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
}
