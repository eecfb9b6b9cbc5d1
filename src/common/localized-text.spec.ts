import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import {
  acceptedLocales,
  applyText,
  IsLocalizedText,
  LocalizedText,
  readerLanguages,
  resolve,
  resolveField,
  translationsView,
} from './localized-text';

class TitleDto {
  @IsLocalizedText(10)
  title!: LocalizedText;

  @IsOptional()
  @IsLocalizedText(20, { clearable: true })
  description?: LocalizedText | null;
}

function problems(input: object): string[] {
  const sut = plainToInstance(TitleDto, input);
  return validateSync(sut).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('resolve', () => {
  const title = { az: 'Anım günü', en: 'Remembrance Day' };

  it('should answer a plain string in every language', () => {
    expect(resolve('Khojaly', 'ru', ['az'])).toBe('Khojaly');
  });

  it("should answer the reader's language when the map has it", () => {
    expect(resolve(title, 'en', ['az'])).toBe('Remembrance Day');
  });

  it("should take the reader's languages in order before the edition's", () => {
    expect(resolve(title, ['ru', 'en'], ['az'])).toBe('Remembrance Day');
  });

  it("should fall back along the edition's languages when the reader's is missing", () => {
    expect(resolve(title, 'ru', ['en', 'az'])).toBe('Remembrance Day');
    expect(resolve(title, 'ru', ['az', 'en'])).toBe('Anım günü');
  });

  it('should fall back to any text present rather than answer an empty one', () => {
    expect(resolve({ ru: 'День памяти' }, 'az', ['az', 'en'])).toBe('День памяти');
  });

  it('should read a field without a map as its plain column, and null as null', () => {
    expect(resolveField('Memorial', {}, 'venue.name', 'ru', ['az'])).toBe('Memorial');
    expect(resolveField(null, { description: { en: 'x' } }, 'description', 'en', ['az'])).toBeNull();
    expect(resolveField('Memorial', { 'venue.name': { ru: 'Мемориал' } }, 'venue.name', 'ru', ['az'])).toBe('Мемориал');
  });
});

describe('translationsView', () => {
  it('should show a plain text as the same text in every language and a map as it was given', () => {
    expect(
      translationsView({ title: 'T', description: null, 'venue.name': 'M' }, { 'venue.name': { en: 'Memorial' } }),
    ).toEqual({
      title: { az: 'T', en: 'T', ru: 'T' },
      'venue.name': { en: 'Memorial' },
    });
  });
});

describe('applyText', () => {
  it("should keep a map whole and store the edition's first language in the plain column", () => {
    expect(applyText('title', { en: 'Day', az: 'Gün' }, undefined, {}, ['az', 'en'], false)).toEqual({
      plain: 'Gün',
      translations: { title: { en: 'Day', az: 'Gün' } },
    });
  });

  it('should drop the map when a plain string replaces it', () => {
    expect(applyText('title', 'Day', 'Gün', { title: { az: 'Gün' }, speaker: { en: 'S' } }, ['az'], false)).toEqual({
      plain: 'Day',
      translations: { speaker: { en: 'S' } },
    });
  });

  it('should clear a nullable field given "" or null', () => {
    expect(applyText('description', '', 'old', { description: { en: 'old' } }, ['az'], true)).toEqual({
      plain: null,
      translations: {},
    });
  });

  it("should follow a change of the edition's first language in the plain column of an untouched map", () => {
    expect(applyText('title', undefined, 'Gün', { title: { en: 'Day', az: 'Gün' } }, ['en', 'az'], false).plain).toBe(
      'Day',
    );
  });
});

describe('IsLocalizedText', () => {
  it('should accept a plain string and a map with at least one language', () => {
    expect(problems({ title: 'Day' })).toEqual([]);
    expect(problems({ title: { ru: 'День' } })).toEqual([]);
  });

  it('should name the language of an empty or too long entry', () => {
    expect(problems({ title: { az: 'Gün', ru: '   ' } })).toEqual(['title.ru must not be empty']);
    expect(problems({ title: { en: 'x'.repeat(11) } })).toEqual(['title.en must be at most 10 characters long']);
  });

  it('should refuse an unknown language key, an empty map and a value of another type', () => {
    expect(problems({ title: { fr: 'Jour' } })).toEqual(['title.fr is not a language: use az, en, ru']);
    expect(problems({ title: {} })).toEqual(['title must have a text in at least one language (az, en, ru)']);
    expect(problems({ title: ['Day'] })[0]).toContain('title must be a string or an object');
    expect(problems({ title: { en: 5 } })).toEqual(['title.en must be a string']);
  });

  it('should let a clearable field take "" but not an empty map entry', () => {
    expect(problems({ title: 'Day', description: '' })).toEqual([]);
    expect(problems({ title: 'Day', description: { en: '' } })).toEqual(['description.en must not be empty']);
  });
});

describe('readerLanguages', () => {
  it('should let ?lang= beat Accept-Language', () => {
    expect(readerLanguages('ru', 'en-GB,en;q=0.9')).toEqual(['ru']);
  });

  it("should order Accept-Language by q-value and keep only the product's languages", () => {
    expect(acceptedLocales('fr-FR, en;q=0.5, ru-RU;q=0.8, az;q=0')).toEqual(['ru', 'en']);
  });

  it('should fall back to Accept-Language when ?lang= is not a language the product speaks', () => {
    expect(readerLanguages('fr', 'az-Latn-AZ')).toEqual(['az']);
  });

  it("should answer no preference when neither names a known language (the edition's first then applies)", () => {
    expect(readerLanguages(undefined, 'de-DE,fr;q=0.8')).toEqual([]);
    expect(resolve({ en: 'Day', az: 'Gün' }, readerLanguages('xx', undefined), ['az', 'en'])).toBe('Gün');
  });
});
