import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { LOCALES } from '../../config/commemoration.config';
import { ERROR_CATALOG } from './catalog';
import { CONSTRAINT_CODES, ERROR_CODES } from './error-codes';

/** Every source file that declares class-validator rules (DTOs, query classes, shared decorators). */
function filesWithRules(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesWithRules(path);
    return name.endsWith('.ts') &&
      !name.endsWith('.spec.ts') &&
      readFileSync(path, 'utf8').includes("from 'class-validator'")
      ? [path]
      : [];
  });
}

describe('error codes', () => {
  it('should map every class-validator constraint the DTOs use to a code with a text in az, en and ru', async () => {
    for (const file of filesWithRules(join(__dirname, '..', '..'))) await import(file);
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<unknown, Array<{ name?: string; type: string; context?: { code?: string } }>>;
    };
    const used = new Set<string>(['whitelistValidation', 'unknownValue']);
    for (const rules of storage.validationMetadatas.values()) {
      for (const rule of rules)
        if (!['conditionalValidation', 'whitelistValidation'].includes(rule.type) || rule.name)
          used.add(rule.name ?? rule.type);
    }
    expect(used.size).toBeGreaterThan(20);
    const unmapped = [...used].filter(
      (name) => !CONSTRAINT_CODES[name] && !['isOptional', 'conditionalValidation'].includes(name),
    );
    expect(unmapped).toEqual([]);
    const contextCodes = [...storage.validationMetadatas.values()]
      .flat()
      .flatMap((rule) => (rule.context?.code ? [rule.context.code] : []));
    for (const code of [...Object.values(CONSTRAINT_CODES), ...contextCodes]) {
      expect(ERROR_CODES as readonly string[]).toContain(code);
      for (const locale of LOCALES)
        expect(ERROR_CATALOG[locale][code as keyof (typeof ERROR_CATALOG)['en']]?.trim()).toBeTruthy();
    }
  });

  it('should have a text of every code in every language, with the same placeholders', () => {
    for (const code of ERROR_CODES) {
      const placeholders = (locale: (typeof LOCALES)[number]): string[] =>
        [...(ERROR_CATALOG[locale][code].match(/\{\w+\}/g) ?? [])].sort();
      for (const locale of LOCALES) {
        expect(ERROR_CATALOG[locale][code].trim()).not.toBe('');
        if (locale !== 'en') expect(placeholders(locale).every((p) => placeholders('en').includes(p))).toBe(true);
      }
    }
  });
});
