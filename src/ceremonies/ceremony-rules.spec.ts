import { BadRequestException } from '@nestjs/common';
import type { Ceremony } from './ceremony.entity';
import { nextYearValues, resolveEditionValues, resolveProgramItemValues } from './ceremony-rules';

const defaults = { month: 2, day: 26, defaultTimeZone: 'Asia/Baku' };
const venue = { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' };

function messagesOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: string[] }).message;
    throw error;
  }
  throw new Error('expected a BadRequestException');
}

describe('resolveEditionValues', () => {
  const sut = resolveEditionValues;

  it('should default the date to the anniversary of the year, the zone and all languages', () => {
    const values = sut({ year: 2027, title: 'Remembrance', startTime: '10:00', venue }, null, defaults);
    expect(values).toMatchObject({
      date: '2027-02-26',
      timeZone: 'Asia/Baku',
      locales: ['az', 'en', 'ru'],
      venueLat: null,
      venueLng: null,
    });
  });

  it('should refuse a date outside the year and an unknown zone, naming both fields', () => {
    const messages = messagesOf(() =>
      sut({ year: 2027, title: 'T', startTime: '10:00', venue, date: '2028-02-26', timeZone: 'Baku' }, null, defaults),
    );
    expect(messages).toEqual([expect.stringMatching(/^date .* must lie in 2027/), expect.stringMatching(/^timeZone/)]);
  });

  it('should validate an edit against the stored edition', () => {
    const current = sut({ year: 2027, title: 'T', startTime: '10:00', venue }, null, defaults);
    expect(messagesOf(() => sut({ year: 2028 }, current, defaults))).toEqual([
      expect.stringMatching(/^date 2027-02-26 must lie in 2028/),
    ]);
    expect(messagesOf(() => sut({ title: null as unknown as string }, current, defaults))).toEqual([
      'title must not be null',
    ]);
    expect(sut({ startTime: '11:00' }, current, defaults)).toEqual({ ...current, startTime: '11:00' });
  });
});

describe('nextYearValues', () => {
  const source = {
    year: 2027,
    title: 'Khojaly Remembrance Day 2027',
    date: '2027-02-26',
    startTime: '10:00',
    timeZone: 'Asia/Baku',
    venueName: venue.name,
    venueAddress: venue.address,
    venueLat: null,
    venueLng: null,
    description: null,
    locales: ['az'],
  } as unknown as Ceremony;

  it('should move the date to next year and the year in the title', () => {
    expect(nextYearValues(source, defaults)).toMatchObject({
      year: 2028,
      date: '2028-02-26',
      title: 'Khojaly Remembrance Day 2028',
      locales: ['az'],
    });
  });

  it('should follow a 29 February commemoration into a leap year', () => {
    const sut = nextYearValues;
    expect(sut({ ...source, date: '2027-02-28' } as Ceremony, { ...defaults, day: 29 }).date).toBe('2028-02-29');
    expect(sut({ ...source, date: '2027-03-01' } as Ceremony, defaults).date).toBe('2028-03-01');
  });
});

describe('resolveProgramItemValues', () => {
  const ceremony = { date: '2027-02-26', timeZone: 'Asia/Baku' };
  const sut = resolveProgramItemValues;

  it('should convert an instant on the ceremony day to local time', () => {
    expect(
      sut(
        { startTime: '2027-02-26T06:30:00Z', endTime: '2027-02-26T11:00:00+04:00', title: 'Minute of silence' },
        null,
        ceremony,
      ),
    ).toMatchObject({
      startTime: '10:30',
      endTime: '11:00',
    });
  });

  it('should refuse an instant on another day in the ceremony zone even when it is the same UTC day', () => {
    const messages = messagesOf(() => sut({ startTime: '2027-02-26T20:30:00Z', title: 'Late' }, null, ceremony));
    expect(messages).toEqual([
      expect.stringContaining("is on 2027-02-27 in Asia/Baku, not on the ceremony's date 2027-02-26"),
    ]);
  });

  it('should refuse an end that is not after the start, also when only the start changes', () => {
    expect(messagesOf(() => sut({ startTime: '10:00', endTime: '10:00', title: 'T' }, null, ceremony))).toEqual([
      expect.stringMatching(/^endTime 10:00 must be later than startTime 10:00/),
    ]);
    const current = sut({ startTime: '10:00', endTime: '10:30', title: 'T' }, null, ceremony);
    expect(messagesOf(() => sut({ startTime: '11:00' }, current, ceremony))).toEqual([
      expect.stringMatching(/^endTime 10:30 must be later than startTime 11:00/),
    ]);
  });
});
