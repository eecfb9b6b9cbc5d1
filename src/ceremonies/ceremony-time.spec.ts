import {
  anniversaryDate,
  canonicalTimeZone,
  instantToLocalDate,
  instantToLocalTime,
  isCalendarDate,
  isValidTimeZone,
  localToInstant,
  localToIsoInstant,
} from './ceremony-time';

describe('ceremony time helpers', () => {
  it('should move a 29 February anniversary to 28 February in common years and keep it in leap years', () => {
    const sut = anniversaryDate;
    expect(sut(2027, 2, 29)).toBe('2027-02-28');
    expect(sut(2028, 2, 29)).toBe('2028-02-29');
    expect(sut(2027, 2, 26)).toBe('2027-02-26');
  });

  it('should give the instant of a local time on both sides of a DST change in America/New_York', () => {
    const sut = localToInstant;
    // 14 March 2027: clocks go from 02:00 EST to 03:00 EDT.
    expect(sut('2027-03-13', '10:00', 'America/New_York').toISOString()).toBe('2027-03-13T15:00:00.000Z');
    expect(sut('2027-03-14', '10:00', 'America/New_York').toISOString()).toBe('2027-03-14T14:00:00.000Z');
    // 02:30 does not exist that day; it moves forward to 03:30 EDT.
    expect(sut('2027-03-14', '02:30', 'America/New_York').toISOString()).toBe('2027-03-14T07:30:00.000Z');
  });

  it('should give the Baku instant of a local start with its offset', () => {
    expect(localToInstant('2027-02-26', '10:00', 'Asia/Baku').toISOString()).toBe('2027-02-26T06:00:00.000Z');
    expect(localToIsoInstant('2027-02-26', '10:00', 'Asia/Baku')).toBe('2027-02-26T10:00:00+04:00');
  });

  it('should read the local date and time of an instant, which may be the next day in Baku', () => {
    const instant = new Date('2027-02-25T21:30:00Z');
    expect(instantToLocalDate(instant, 'Asia/Baku')).toBe('2027-02-26');
    expect(instantToLocalTime(instant, 'Asia/Baku')).toBe('01:30');
    expect(instantToLocalDate(instant, 'UTC')).toBe('2027-02-25');
  });

  it('should accept IANA zone names and refuse offsets, abbreviations and unknown names', () => {
    const sut = isValidTimeZone;
    expect(sut('Asia/Baku')).toBe(true);
    expect(sut('America/Argentina/Buenos_Aires')).toBe(true);
    expect(sut('UTC')).toBe(true);
    expect(sut('+04:00')).toBe(false);
    expect(sut('EST')).toBe(false);
    expect(sut('Mars/Olympus')).toBe(false);
  });

  it('should correct the letter case of a zone name and leave other names alone', () => {
    const sut = canonicalTimeZone;
    expect(sut('asia/baku')).toBe('Asia/Baku');
    expect(sut('Asia/Baku')).toBe('Asia/Baku');
    expect(sut('Nowhere/City')).toBe('Nowhere/City');
  });

  it('should accept only real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-2-26')).toBe(false);
  });
});
