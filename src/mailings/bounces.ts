/**
 * A hard bounce: the server refused the recipient for good at RCPT TO (5xx, e.g. "550 5.1.1 No
 * such user"). Such an address is suppressed for bulk mail. A 5xx to the message itself (DATA:
 * content, size) or to the sender (MAIL FROM), and every 4xx, say nothing about the address.
 */
export function isHardBounce(error: unknown): boolean {
  const { code, command, responseCode } = (error ?? {}) as {
    code?: unknown;
    command?: unknown;
    responseCode?: unknown;
  };
  return (
    code === 'EENVELOPE' &&
    command === 'RCPT TO' &&
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600
  );
}
