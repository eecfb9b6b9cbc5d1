import { formatDate, formatDateTime, pickLocale } from './i18n';

describe('i18n', () => {
  const instant = new Date('2027-02-26T06:00:00Z');

  it('should write the local time with the time zone named, in each language', () => {
    expect(formatDateTime(instant, 'Asia/Baku', 'en')).toBe('February 26, 2027, 10:00 (Asia/Baku, GMT+4)');
    expect(formatDateTime(instant, 'Asia/Baku', 'ru')).toMatch(/^26 февраля 2027, 10:00 \(Asia\/Baku, GMT\+4\)$/);
    expect(formatDateTime(instant, 'Asia/Baku', 'az')).toMatch(/^26 fevral 2027.*10:00 \(Asia\/Baku, GMT\+4\)$/);
  });

  it('should end a Russian date without a period, so a sentence ending with it has one', () => {
    expect(formatDate(instant, 'Asia/Baku', 'ru')).toBe('26 февраля 2027');
    expect(`${formatDate(instant, 'Asia/Baku', 'ru')}.`).not.toContain('..');
  });

  it('should fall back to the edition language when the person chose none or one not offered', () => {
    const sut = pickLocale;
    expect(sut('ru', ['az', 'en', 'ru'], 'az')).toBe('ru');
    expect(sut(undefined, ['en', 'az'], 'az')).toBe('en');
    expect(sut('ru', ['az'], 'en')).toBe('az');
    expect(sut('xx', [], 'en')).toBe('en');
  });
});
