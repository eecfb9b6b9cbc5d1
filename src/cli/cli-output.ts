import { Injectable } from '@nestjs/common';

/**
 * Where commands write: results to standard output, problems to standard error. One place, so
 * the structured log (which goes elsewhere) never mixes with what a person or a script reads.
 */
@Injectable()
export class CliOutput {
  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** The command failed: say why and make the process end with exit code 1. */
  fail(text: string): void {
    this.error(text);
    process.exitCode = 1;
  }

  /** A stream for progress bars: standard error, so standard output stays parseable. */
  get progressStream(): NodeJS.WriteStream {
    return process.stderr;
  }
}
