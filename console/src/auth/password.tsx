import { useState, type FormEvent } from 'react';
import { useCatalog } from '../i18n/language';
import { navigate } from '../shell/router';
import { api } from './client';
import { useSession } from './session';

/** The user's own password change; the API ends the session, so the console asks to sign in again. */
export function ChangePassword() {
  const t = useCatalog();
  const session = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors([]);
    const { error, response } = await api.POST('/auth/password', { body: { currentPassword, newPassword } });
    if (response.ok) {
      // Signing in again leads to the overview, not back to this form.
      navigate('/', { replace: true });
      session.end('passwordChanged');
      return;
    }
    const message = (error as { message?: string | string[] } | undefined)?.message;
    setErrors(message ? [message].flat() : [t.failed]);
  }

  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{t.changePassword}</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t.currentPassword}
          <input type="password" autoComplete="current-password" required value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} />
        </label>
        <label>
          {t.newPassword}
          <input type="password" autoComplete="new-password" required value={newPassword} onChange={(event) => setNewPassword(event.target.value)} />
        </label>
        {errors.length > 0 && (
          <ul role="alert" className="error">
            {errors.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        )}
        <button type="submit">{t.save}</button>
      </form>
    </section>
  );
}
