/**
 * An SMTP server on loopback that accepts every message and discards it, run as its own process
 * so neither the app nor the load generator pays for receiving. Prints {"port":N} when ready and
 * {"received":N} on each line of standard input (the runner asks to count what arrived).
 */
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 1000,
  size: 10 * 1024 * 1024,
  onData: (stream, _session, callback) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received += 1;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ received })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
