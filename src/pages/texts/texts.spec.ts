import { LOCALES } from '../../config/commemoration.config';
import { PAGE_TEXTS } from './index';

describe('page text catalogs', () => {
  it('should give every text in every language, none empty', () => {
    const keys = Object.keys(PAGE_TEXTS.en).sort();
    for (const locale of LOCALES) {
      const sut = PAGE_TEXTS[locale];
      expect(Object.keys(sut).sort()).toEqual(keys);
      expect(Object.entries(sut).filter(([, text]) => text.trim() === '')).toEqual([]);
    }
  });

  it('should keep the same placeholders in every language', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(PAGE_TEXTS.en)) {
        expect({ key, placeholders: placeholders(PAGE_TEXTS[locale][key as keyof typeof PAGE_TEXTS.en]) }).toEqual({ key, placeholders: placeholders(text) });
      }
    }
  });
});
