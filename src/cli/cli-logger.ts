import { ConsoleLogger, LogLevel } from '@nestjs/common';

/** Levels shown for a LOG_LEVEL: a command shows warnings and errors unless asked for more. */
export function cliLogLevels(logLevel: string): LogLevel[] {
  if (logLevel === 'silent') return [];
  if (logLevel === 'fatal' || logLevel === 'error') return ['fatal', 'error'];
  if (logLevel === 'debug' || logLevel === 'trace') return ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  return ['fatal', 'error', 'warn'];
}

/** Nest's console logger, but every line goes to standard error: standard output is the command's result. */
export class CliLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
