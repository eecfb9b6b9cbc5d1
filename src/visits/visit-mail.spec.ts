import * as nodeIcal from 'node-ical';
import { buildVisitMail, VisitMailFacts } from './visit-mail';

const facts: VisitMailFacts = {
  bookingId: '6f1d7c1e-2f7a-4a51-9d39-6a0a3d1e2b11',
  name: 'Leyla <Aliyeva>',
  partySize: 3,
  ceremonyTitle: 'Khojaly Remembrance Day 2027',
  venueName: 'Khojaly Genocide Memorial',
  venueAddress: 'Khatai district, Baku',
  timeZone: 'Asia/Baku',
  startsAt: new Date('2027-02-26T07:00:00Z'),
  endsAt: new Date('2027-02-26T07:30:00Z'),
  manageUrl: 'https://commemoration.test/bookings/manage/abc',
  checkInCode: 'AbCdEfGhIjKlMnOpQrStUv',
  domain: 'commemoration.test',
};

describe('buildVisitMail', () => {
  it('should point to the attached check-in QR image, draw no image in the HTML and give the code as text fallback', () => {
    const sut = buildVisitMail('confirmed', 'en', facts);
    expect(sut.html).toContain('qr.png');
    expect(sut.html).not.toContain('<img');
    expect(sut.html).toContain('AbCdEfGhIjKlMnOpQrStUv');
    expect(sut.text).toContain('check-in code: AbCdEfGhIjKlMnOpQrStUv');
  });

  it('should not show a check-in code to a waitlisted visitor', () => {
    const sut = buildVisitMail('waitlisted', 'en', facts);
    expect(sut.html).not.toContain('qr.png');
    expect(sut.text).not.toContain(facts.checkInCode);
  });

  it('should write the local time with the zone named, the venue, the party size and the manage link', () => {
    const sut = buildVisitMail('confirmed', 'en', facts);
    expect(sut.text).toContain('February 26, 2027, 11:00 (Asia/Baku, GMT+4)');
    expect(sut.text).toContain('Khojaly Genocide Memorial, Khatai district, Baku');
    expect(sut.text).toContain('3 people');
    expect(sut.text).toContain(facts.manageUrl);
    expect(sut.html).toContain('Leyla &lt;Aliyeva&gt;');
  });

  it('should write the message in Russian and Azerbaijani', () => {
    expect(buildVisitMail('confirmed', 'ru', facts).subject).toMatch(/^Посещение мемориала забронировано/);
    expect(buildVisitMail('confirmed', 'ru', facts).text).toContain('26 февраля 2027');
    expect(buildVisitMail('confirmed', 'az', facts).text).toContain('Nəfər sayı: 3');
  });

  it('should attach a calendar event at the slot instant with a stable UID, but not to a waiting-list message', () => {
    const sut = buildVisitMail('confirmed', 'en', facts);
    const events = Object.values(nodeIcal.sync.parseICS(sut.ics!)).filter(
      (item) => item?.type === 'VEVENT',
    ) as nodeIcal.VEvent[];
    expect(events).toHaveLength(1);
    expect(events[0].uid).toBe(`visit-${facts.bookingId}@commemoration.test`);
    expect(events[0].start.toISOString()).toBe('2027-02-26T07:00:00.000Z');
    expect(events[0].location).toBe('Khojaly Genocide Memorial, Khatai district, Baku');
    expect(buildVisitMail('waitlisted', 'en', facts).ics).toBeNull();
  });

  it('should point a promoted visitor to the first email when no manage link is at hand', () => {
    const sut = buildVisitMail('promoted', 'en', { ...facts, manageUrl: null });
    expect(sut.text).toContain('link in the first email');
  });
});
