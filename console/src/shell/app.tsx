import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type MouseEvent } from 'react';
import { ChangePassword } from '../auth/password';
import { api } from '../auth/client';
import { useSession } from '../auth/session';
import { SignIn } from '../auth/sign-in';
import { LanguageSwitcher, useCatalog } from '../i18n/language';
import { AuditTable } from '../overview/audit-table';
import { Overview } from '../overview/overview';
import { useOverview } from '../overview/use-overview';

const BASE = '/console';
type View = 'overview' | 'password' | 'audit';
const VIEWS: Record<string, View> = { '': 'overview', '/': 'overview', '/password': 'password', '/audit': 'audit' };

function currentView(): View {
  return VIEWS[window.location.pathname.slice(BASE.length)] ?? 'overview';
}

/** Navigation shows only what the role may do; the API refuses the rest anyway. */
export function App() {
  const t = useCatalog();
  const session = useSession();
  const queryClient = useQueryClient();
  const [view, setView] = useState<View>(currentView);

  // A new session starts on the address the browser shows (the page someone was on, or the overview).
  useEffect(() => setView(currentView()), [session.me]);

  useEffect(() => {
    const onPop = () => setView(currentView());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // Signed out on the page someone was on: the address stays, so signing in returns there.
  if (!session.me) return <SignIn />;

  const isAdmin = session.me.role === 'admin';
  const links: Array<{ view: View; path: string; label: string }> = [
    { view: 'overview', path: '', label: t.overview },
    ...(isAdmin ? [{ view: 'audit' as const, path: '/audit', label: t.auditLog }] : []),
    { view: 'password', path: '/password', label: t.password },
  ];

  function go(event: MouseEvent<HTMLAnchorElement>, next: View, path: string) {
    event.preventDefault();
    window.history.pushState(null, '', `${BASE}${path}`);
    setView(next);
  }

  async function signOut() {
    await api.POST('/auth/logout');
    queryClient.clear();
    session.end('signedOut');
  }

  return (
    <>
      <a className="skip" href="#main">
        {t.overview}
      </a>
      <header>
        <span className="brand">{t.appTitle}</span>
        <nav aria-label={t.navigation}>
          <ul>
            {links.map((link) => (
              <li key={link.view}>
                <a href={`${BASE}${link.path}`} aria-current={link.view === view ? 'page' : undefined} onClick={(event) => go(event, link.view, link.path)}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <LanguageSwitcher />
          <span>{session.me.email}</span>
          <button type="button" onClick={() => void signOut()}>
            {t.signOut}
          </button>
        </div>
      </header>
      <main id="main">
        {view === 'overview' && <Overview />}
        {view === 'password' && <ChangePassword />}
        {view === 'audit' && isAdmin && <AuditView />}
      </main>
    </>
  );
}

function AuditView() {
  const overview = useOverview();
  // Times in the current edition's zone; the configured default zone until an edition exists.
  return <AuditTable limit={50} timeZone={overview.data?.edition.timeZone ?? 'Asia/Baku'} headingLevel={1} />;
}
