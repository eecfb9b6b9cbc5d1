/**
 * The baseline for mailing throughput: a plain nodemailer pool sending the same messages (same
 * content, per-recipient text and HTML, List-Unsubscribe) to the same sink, with no database, and
 * as many messages in flight as the app (one per pooled connection).
 * Env: SMTP_PORT, COUNT, SMTP_POOL_CONNECTIONS (default 5, as the app). Prints {"sent","ms","failed"}.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { MAILING_CONTENT, recipient } from '../support/mailing-content';

async function main(): Promise<void> {
  const count = Number(process.env.COUNT ?? 10_000);
  const connections = Number(process.env.SMTP_POOL_CONNECTIONS ?? 5);
  const transport = createTransport({
    url: `smtp://127.0.0.1:${process.env.SMTP_PORT}`,
    pool: true,
    maxConnections: connections,
    maxMessages: 1000,
  });
  let next = 0;
  let failed = 0;
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const to = recipient(n);
      const content = MAILING_CONTENT[to.locale];
      const unsubscribeUrl = `http://127.0.0.1/unsubscribe/${randomBytes(32).toString('base64url')}`;
      const fill = (template: string) =>
        template.replace('{{name}}', to.name).replace('{{unsubscribeUrl}}', unsubscribeUrl);
      try {
        await transport.sendMail({
          from: 'Commemoration <no-reply@localhost>',
          to: { name: to.name, address: to.email },
          subject: content.subject,
          text: fill(content.text),
          html: fill(content.html),
          messageId: `<${randomUUID()}@localhost>`,
          headers: {
            'List-Unsubscribe': { prepared: true, value: `<${unsubscribeUrl}>` },
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            'Content-Language': to.locale,
          },
        });
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const ms = Date.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  transport.close();
  process.stdout.write(
    `${JSON.stringify({ sent: count - failed, failed, ms, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
  );
}

void main();
