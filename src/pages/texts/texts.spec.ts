import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
        expect({ key, placeholders: placeholders(PAGE_TEXTS[locale][key as keyof typeof PAGE_TEXTS.en]) }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
    }
  });

  it('should have a text for every error text the pages script names', () => {
    const script = readFileSync(join(__dirname, '..', 'assets', 'pages.js'), 'utf8');
    const named = new Set(
      [...script.matchAll(/'((?:err|visit)[A-Z]\w*)'|texts\.((?:err)[A-Z]\w*)/g)].map((match) => match[1] ?? match[2]),
    );
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((key) => !(key in PAGE_TEXTS.en))).toEqual([]);
  });
});
