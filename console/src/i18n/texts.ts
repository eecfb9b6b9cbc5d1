import { useContext } from 'react';
import type { Language } from './catalogs';
import { LanguageContext } from './language';

/**
 * One view's texts in the three languages. English sets the keys; Azerbaijani and Russian must have the
 * same keys with the same kinds of value (a missing or extra key is a type error).
 */
export function defineTexts<T extends Record<string, unknown>>(
  en: T,
  az: NoInfer<T>,
  ru: NoInfer<T>,
): Record<Language, T> {
  return { en, az, ru };
}

export function useTexts<T>(texts: Record<Language, T>): T {
  return texts[useContext(LanguageContext).language];
}

export function useLanguage(): Language {
  return useContext(LanguageContext).language;
}
