import { useState, type FormEvent } from 'react';
import { LanguageSwitcher, useCatalog } from '../i18n/language';
import { api } from './client';
import { useSession } from './session';

type Problem = 'invalidCredentials' | 'totpInvalid' | 'tooMany' | 'failed' | null;

export function SignIn() {
  const t = useCatalog();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { error, response } = await api.POST('/auth/session', {
        body: { email, password, ...(needsCode ? { totp } : {}) },
      });
      if (response.ok) {
        await session.refresh();
        return;
      }
      const code = (error as { code?: string } | undefined)?.code;
      if (code === 'totp_required') setNeedsCode(true);
      else if (code === 'totp_invalid') setProblem('totpInvalid');
      else if (response.status === 401) setProblem('invalidCredentials');
      else if (response.status === 429) setProblem('tooMany');
      else setProblem('failed');
    } catch {
      setProblem('failed');
    } finally {
      setBusy(false);
    }
  }

  const notice = session.reason ? t[session.reason] : null;
  return (
    <main className="sign-in">
      <h1>{t.appTitle}</h1>
      <LanguageSwitcher />
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t.signIn}</h2>
        <label>
          {t.email}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t.passwordLabel}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {needsCode && (
          <>
            <p role="status">{t.totpRequired}</p>
            <label>
              {t.totp}
              <input
                name="totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                autoFocus
                value={totp}
                onChange={(event) => setTotp(event.target.value)}
              />
            </label>
          </>
        )}
        {problem && (
          <p role="alert" className="error">
            {t[problem]}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t.signIn}
        </button>
      </form>
    </main>
  );
}
