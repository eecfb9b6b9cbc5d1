import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../auth/client';
import { useSession } from '../auth/session';
import { SignIn } from '../auth/sign-in';
import { CHECK_IN_TEXTS } from '../check-in/texts';
import { LanguageSwitcher, useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link, matchPath, useLocation } from './router';
import { NAV, ROUTES } from './routes';

/** Navigation shows only what the role may do; the API refuses the rest anyway. */
export function App() {
  const t = useCatalog();
  const session = useSession();
  const queryClient = useQueryClient();
  const { path } = useLocation();
  const deskTexts = useTexts(CHECK_IN_TEXTS);
  // The check-in desk runs on a phone at the gate: there the header folds the navigation behind one button.
  const compact = path === '/check-in';
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);

  // Signed out on the page someone was on: the address stays, so signing in returns there.
  if (!session.me) return <SignIn />;

  const isAdmin = session.me.role === 'admin';
  const links = NAV.filter((entry) => isAdmin || !entry.adminOnly);
  const isCurrent = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  let content = <p>{t.notFound}</p>;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params && (isAdmin || !route.adminOnly)) {
      content = <>{route.render(params)}</>;
      break;
    }
  }

  async function signOut() {
    await api.POST('/auth/logout');
    queryClient.clear();
    session.end('signedOut');
  }

  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header className={compact ? `compact${menuOpen ? ' open' : ''}` : undefined}>
        <span className="brand">{t.appTitle}</span>
        {compact && (
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="console-navigation"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {deskTexts.menu}
          </button>
        )}
        <nav id="console-navigation" aria-label={t.navigation}>
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <Link to={link.to} aria-current={isCurrent(link.to) ? 'page' : undefined}>
                  {link.label(t)}
                </Link>
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
      <main id="main">{content}</main>
    </>
  );
}
