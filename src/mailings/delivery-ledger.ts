import { DeliveryOutcome } from './deliveries.repository';

/**
 * Group commit for delivery outcomes. Every SMTP worker waits until its outcome is committed
 * before it starts its next message (so a crash leaves at most one unrecorded message per worker),
 * but the workers do not each pay a round trip and a commit: outcomes that arrive while a write is
 * in progress go to the database together in the next one.
 */
export class DeliveryLedger {
  private waiting: Array<{ outcome: DeliveryOutcome; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly write: (outcomes: DeliveryOutcome[]) => Promise<void>) {}

  /** Resolves once the outcome is committed; rejects if the write failed. */
  record(outcome: DeliveryOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ outcome, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0);
        try {
          await this.write(group.map((entry) => entry.outcome));
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
