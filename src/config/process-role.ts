let commandLineProcess = false;

/**
 * Called by the CLI entry point before the app is built. A command shares AppModule with the
 * server but must not do a server's work beside it: no background jobs (reminder ticks, mail
 * delivery, purges), whatever SCHEDULER_ENABLED says, and no metrics listener on METRICS_PORT
 * (the running server holds that port). The configs below read it; nothing else should.
 */
export function markCommandLineProcess(): void {
  commandLineProcess = true;
}

export function isCommandLineProcess(): boolean {
  return commandLineProcess;
}
