import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

type Reply = { code: number; message: string };

/**
 * A real SMTP server on loopback. Tests read what it received, parsed with mailparser,
 * and can make it refuse the next messages with a given reply (421, 550...).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private readonly replies: Reply[] = [];
  /** Recipients refused at RCPT TO (lower-cased address -> reply), e.g. a 550 5.1.1 hard bounce. */
  private readonly refusedRecipients = new Map<string, Reply>();
  private server?: SMTPServer;
  port = 0;
  /** How long the sink takes to accept each message, like a slow relay (0: at once). */
  acceptDelayMs = 0;

  /** The next `count` messages get this reply instead of 250. */
  failNext(count: number, code: number, message: string): void {
    for (let index = 0; index < count; index += 1) this.replies.push({ code, message });
  }

  /** Refuses this recipient at RCPT TO with this reply, for every later message, until `acceptRecipient`. */
  refuseRecipient(address: string, code: number, message: string): void {
    this.refusedRecipients.set(address.toLowerCase(), { code, message });
  }

  acceptRecipient(address: string): void {
    this.refusedRecipients.delete(address.toLowerCase());
  }

  /** Listens on `port` (0: any free one); a sink started again on the port of a stopped one stands in for a relay coming back. */
  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      // stop() drops idle pooled client connections after this long instead of the default 30 s.
      closeTimeout: 200,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refusedRecipients.get(address.address.toLowerCase());
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (this.acceptDelayMs > 0) await delay(this.acceptDelayMs);
          const reply = this.replies.shift();
          if (reply) {
            const error = Object.assign(new Error(reply.message), { responseCode: reply.code });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelopeTo = session.envelope.rcptTo.map((recipient) => recipient.address);
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({ envelopeTo, raw, parsed });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    // A client killed mid-session (crash tests) must not crash the test run.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter(
      (mail) => mail.envelopeTo.includes(address.toLowerCase()) || mail.envelopeTo.includes(address),
    );
  }

  /** Polls until `predicate` holds for the received mail, or fails after the deadline. */
  async waitFor(
    predicate: (mails: ReceivedMail[]) => boolean,
    timeoutMs = 10_000,
    what = 'expected mail',
  ): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.received)) return this.received;
      await delay(25);
    }
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received ${this.received.length} message(s)`);
  }

  /** Waits for the first message to this address. */
  async waitForMailTo(address: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    await this.waitFor(
      (mails) => mails.some((mail) => mail.envelopeTo.includes(address.toLowerCase())),
      timeoutMs,
      `mail to ${address}`,
    );
    return this.to(address)[0];
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A header's raw value as sent (mailparser folds List-* headers into a structure). */
export function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}
