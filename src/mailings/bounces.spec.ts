import { isHardBounce } from './bounces';

/** Errors shaped as nodemailer's SMTP connection reports them. */
const smtpError = (code: string, command: string, responseCode?: number) =>
  Object.assign(new Error('failed'), { code, command, responseCode });

describe('isHardBounce', () => {
  it('should count a 550 to RCPT TO as a hard bounce', () => {
    expect(isHardBounce(smtpError('EENVELOPE', 'RCPT TO', 550))).toBe(true);
    expect(isHardBounce(smtpError('EENVELOPE', 'RCPT TO', 553))).toBe(true);
  });

  it('should not count a temporary refusal of the recipient', () => {
    expect(isHardBounce(smtpError('EENVELOPE', 'RCPT TO', 450))).toBe(false);
  });

  it('should not count a permanent refusal of the message body or size', () => {
    expect(isHardBounce(smtpError('EMESSAGE', 'DATA', 550))).toBe(false);
    expect(isHardBounce(smtpError('EMESSAGE', 'DATA', 552))).toBe(false);
    expect(isHardBounce(smtpError('EMESSAGE', 'MAIL FROM'))).toBe(false);
  });

  it('should not count a refused sender or a lost connection', () => {
    expect(isHardBounce(smtpError('EENVELOPE', 'MAIL FROM', 550))).toBe(false);
    expect(isHardBounce(smtpError('ECONNECTION', 'CONN'))).toBe(false);
    expect(isHardBounce(undefined)).toBe(false);
  });
});
