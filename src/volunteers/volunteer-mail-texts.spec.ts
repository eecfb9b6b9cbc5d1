import { renderVolunteerMail, VolunteerMailContext } from './volunteer-mail-texts';

describe('volunteer mail texts', () => {
  const sut = renderVolunteerMail;
  const base: VolunteerMailContext = {
    kind: 'confirm-request',
    locale: 'en',
    name: 'Leyla',
    edition: { title: 'Khojaly Remembrance Day 2027', date: '2027-02-26', timeZone: 'Asia/Baku' },
    assigned: [{ name: 'Carnations', shiftStart: '09:00', shiftEnd: '12:00' }],
    waitlisted: [],
    link: 'https://commemoration.test/volunteers/confirm?token=abc',
    expiresAt: new Date('2027-02-01T08:00:00Z'),
  };

  it('should write the shift out with the date, the local times and the zone named', () => {
    const mail = sut(base);
    expect(mail.subject).toBe('Please confirm your volunteer sign-up – Khojaly Remembrance Day 2027');
    expect(mail.text).toContain('- Carnations: February 26, 2027, 09:00 (Asia/Baku, GMT+4) – 12:00');
    expect(mail.text).toContain('https://commemoration.test/volunteers/confirm?token=abc');
    expect(mail.text).toContain('February 1, 2027, 12:00 (Asia/Baku, GMT+4)');
  });

  it('should write every kind of mail in Azerbaijani and Russian', () => {
    for (const kind of ['confirm-request', 'confirmed', 'waitlisted', 'promoted', 'withdrawn'] as const) {
      const az = sut({ ...base, kind, locale: 'az' });
      const ru = sut({ ...base, kind, locale: 'ru' });
      expect(az.text).toContain('Hörmətli Leyla,');
      expect(ru.text).toContain('Здравствуйте, Leyla.');
      expect(az.subject).not.toBe(ru.subject);
    }
    expect(sut({ ...base, locale: 'ru' }).text).toContain('26 февраля 2027, 09:00 (Asia/Baku, GMT+4) – 12:00');
  });

  it('should tell a confirmed volunteer which roles they hold and which they wait for', () => {
    const mail = sut({
      ...base,
      kind: 'confirmed',
      waitlisted: [{ name: 'Interpreting', shiftStart: '12:00', shiftEnd: '14:00' }],
      link: 'https://x/volunteers/me?token=t',
    });
    expect(mail.text).toMatch(/Your places:\n- Carnations:[^\n]+\n\nOn the waiting list[^\n]+\n- Interpreting:/);
    expect(mail.text).toContain('https://x/volunteers/me?token=t');
  });
});
