import { decideRun, reminderDueAt } from './due-time';

describe('reminderDueAt', () => {
  const sut = reminderDueAt;

  it('should put the 30, 7 and 1 day reminders at 10:00 Asia/Baku, which is 06:00 UTC', () => {
    const base = { ceremonyDate: '2027-02-26', timeZone: 'Asia/Baku', sendTime: '10:00' };
    expect(sut({ ...base, offsetDays: 30 }).toISOString()).toBe('2027-01-27T06:00:00.000Z');
    expect(sut({ ...base, offsetDays: 7 }).toISOString()).toBe('2027-02-19T06:00:00.000Z');
    expect(sut({ ...base, offsetDays: 1 }).toISOString()).toBe('2027-02-25T06:00:00.000Z');
  });

  it('should move with the edition date', () => {
    expect(
      sut({ ceremonyDate: '2027-02-27', timeZone: 'Asia/Baku', sendTime: '10:00', offsetDays: 1 }).toISOString(),
    ).toBe('2027-02-26T06:00:00.000Z');
  });

  it('should keep the local send time across a DST change (America/New_York, March)', () => {
    // DST starts on Sunday 14 March 2027 at 02:00: EST (UTC-5) before, EDT (UTC-4) after.
    const base = { ceremonyDate: '2027-03-15', timeZone: 'America/New_York', sendTime: '10:00' };
    expect(sut({ ...base, offsetDays: 7 }).toISOString()).toBe('2027-03-08T15:00:00.000Z');
    expect(sut({ ...base, offsetDays: 1 }).toISOString()).toBe('2027-03-14T14:00:00.000Z');
    expect(sut({ ...base, offsetDays: 0 }).toISOString()).toBe('2027-03-15T14:00:00.000Z');
  });

  it('should move a send time inside the spring-forward gap forward by the gap', () => {
    expect(
      sut({ ceremonyDate: '2027-03-15', timeZone: 'America/New_York', sendTime: '02:30', offsetDays: 1 }).toISOString(),
    ).toBe('2027-03-14T07:30:00.000Z');
  });
});

describe('decideRun', () => {
  const sut = decideRun;
  const dueAt = new Date('2027-02-25T06:00:00Z');
  const published = new Date('2027-01-01T00:00:00Z');
  const ruleCreatedAt = new Date('2026-01-01T00:00:00Z');

  it('should wait until the due time', () => {
    expect(
      sut({ dueAt, now: new Date('2027-02-25T05:59:59Z'), publishedAt: published, ruleCreatedAt, catchUpHours: 12 }),
    ).toBe('not-due');
  });

  it('should fire on time and within the catch-up window', () => {
    expect(sut({ dueAt, now: dueAt, publishedAt: published, ruleCreatedAt, catchUpHours: 12 })).toBe('fire');
    expect(
      sut({ dueAt, now: new Date('2027-02-25T17:59:00Z'), publishedAt: published, ruleCreatedAt, catchUpHours: 12 }),
    ).toBe('fire');
  });

  it('should record a run later than the catch-up window as missed', () => {
    expect(
      sut({ dueAt, now: new Date('2027-02-25T18:00:01Z'), publishedAt: published, ruleCreatedAt, catchUpHours: 12 }),
    ).toBe('missed');
  });

  it('should skip a run that was already due when the edition was published or the rule created', () => {
    expect(
      sut({
        dueAt,
        now: new Date('2027-02-25T07:00:00Z'),
        publishedAt: new Date('2027-02-25T06:30:00Z'),
        ruleCreatedAt,
        catchUpHours: 12,
      }),
    ).toBe('skipped');
    expect(
      sut({
        dueAt,
        now: new Date('2027-02-25T07:00:00Z'),
        publishedAt: published,
        ruleCreatedAt: new Date('2027-02-25T06:30:00Z'),
        catchUpHours: 12,
      }),
    ).toBe('skipped');
  });
});
