import { createContext, useContext } from 'react';
import { setRequestLanguage } from '../auth/client';
import { CATALOGS, Language, LANGUAGES, type Catalog } from './catalogs';

const STORAGE_KEY = 'console.language';

/** The language chosen before (only the choice is stored, never anything secret), else the browser's. */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  const preferred = navigator.language.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(preferred) ? (preferred as Language) : 'az';
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  setRequestLanguage(language);
}

export const LanguageContext = createContext<{ language: Language; setLanguage(language: Language): void }>({
  language: 'en',
  setLanguage: () => undefined,
});

export function useCatalog(): Catalog {
  return CATALOGS[useContext(LanguageContext).language];
}

export function LanguageSwitcher() {
  const { language, setLanguage } = useContext(LanguageContext);
  const t = useCatalog();
  return (
    <label className="language">
      {t.language}{' '}
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {CATALOGS[code].languageName}
          </option>
        ))}
      </select>
    </label>
  );
}
