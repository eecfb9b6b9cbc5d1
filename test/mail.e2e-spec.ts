import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { appConfig } from '../src/config/app.config';
import { MailService } from '../src/mail/mail.service';
import { createTestApp, TestApp } from './support/app';
import { rawHeader } from './support/smtp-sink';

describe('Mail service', () => {
  describe('through SMTP', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { MAIL_MESSAGE_ID_DOMAIN: 'mail.commemoration.test' } });
    });
    afterAll(() => t.close());

    it('should deliver a message with the configured From, Reply-To, Message-ID and one-click unsubscribe headers', async () => {
      const mail = t.app.get(MailService);
      const unsubscribeUrl = `https://commemoration.test/unsubscribe/${'x'.repeat(43)}`;
      await mail.send({
        to: { name: 'Leyla Aliyeva', address: 'leyla@example.org' },
        subject: 'Remembrance ceremony',
        text: 'The ceremony begins at 10:00.',
        html: '<p>The ceremony begins at 10:00.</p>',
        unsubscribeUrl,
        language: 'en',
        attachments: [
          { filename: 'ceremony.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' },
        ],
      });
      const received = await t.smtp.waitForMailTo('leyla@example.org');
      const { parsed, raw } = received;
      expect(parsed.from?.value).toEqual([{ name: 'Commemoration', address: 'no-reply@commemoration.test' }]);
      expect(parsed.replyTo?.value[0].address).toBe('organizers@commemoration.test');
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
        { name: 'Leyla Aliyeva', address: 'leyla@example.org' },
      ]);
      expect(parsed.subject).toBe('Remembrance ceremony');
      expect(parsed.text?.trim()).toBe('The ceremony begins at 10:00.');
      expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@mail\.commemoration\.test>$/);
      expect(parsed.headers.get('content-language')).toBe('en');
      expect(rawHeader(received, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // One line, not folded: mailbox providers parse it that way.
      expect(raw).toContain(`List-Unsubscribe: <${unsubscribeUrl}>\r\n`);
      expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual(['ceremony.ics']);
      // Bulk mail names its list (RFC 2919) and is no automatic reply.
      expect(rawHeader(received, 'List-Id')).toBe('<announcements.mail.commemoration.test>');
      expect(rawHeader(received, 'Auto-Submitted')).toBeUndefined();
    });

    it('should mark a transactional message as auto-generated and give it no list identifier', async () => {
      await t.app
        .get(MailService)
        .send({ to: { address: 'booking@example.org' }, subject: 'Your memorial visit', text: 'Booked.' });
      const received = await t.smtp.waitForMailTo('booking@example.org');
      expect(rawHeader(received, 'Auto-Submitted')).toBe('auto-generated');
      expect(rawHeader(received, 'List-Id')).toBeUndefined();
    });
  });

  describe('without SMTP_URL', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { SMTP_URL: undefined } });
    });
    afterAll(() => t.close());

    it('should write the message as an .eml file under DATA_DIR/mail', async () => {
      const sent = await t.app
        .get(MailService)
        .send({ to: { address: 'file@example.org' }, subject: 'Written to disk', text: 'Body' });
      const directory = join(t.app.get<{ dataDir: string }>(appConfig.KEY).dataDir, 'mail');
      const files = readdirSync(directory).filter((file) => file.endsWith('.eml'));
      expect(files).toHaveLength(1);
      expect(sent.file).toBe(join(directory, files[0]));
      const parsed = await simpleParser(readFileSync(sent.file!));
      expect(parsed.subject).toBe('Written to disk');
      expect(t.smtp.received).toHaveLength(0);
    });
  });
});
