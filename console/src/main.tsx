import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from './auth/session';
import { Language } from './i18n/catalogs';
import { initialLanguage, LanguageContext, rememberLanguage } from './i18n/language';
import { App } from './shell/app';
import './shell/console.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: true } } });

function Root() {
  const [language, setLanguageState] = useState<Language>(() => {
    const initial = initialLanguage();
    rememberLanguage(initial);
    return initial;
  });
  const setLanguage = (next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
    // The API answers texts in the request's language: what was read in the old one is read again.
    void queryClient.invalidateQueries();
  };
  return (
    <LanguageContext.Provider value={{ language, setLanguage }}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider fallback={<p>…</p>}>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </LanguageContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
