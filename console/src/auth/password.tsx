import { useState, type FormEvent } from 'react';
import { useCatalog } from '../i18n/language';
import { navigate } from '../shell/router';
import { FormProblems, readProblem, TextField, type ApiProblem } from '../ui/forms';
import { api } from './client';
import { useSession } from './session';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** The user's own password change; the API ends the session, so the console asks to sign in again. */
export function ChangePassword() {
  const t = useCatalog();
  const session = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const { error, response } = await api.POST('/auth/password', { body: { currentPassword, newPassword } });
    if (response.ok) {
      // Signing in again leads to the overview, not back to this form.
      navigate('/', { replace: true });
      session.end('passwordChanged');
      return;
    }
    setProblem(readProblem(response.status, error, FIELDS, t.failed));
  }

  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{t.changePassword}</h1>
      <form onSubmit={(event) => void submit(event)}>
        <TextField
          label={t.currentPassword}
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          error={problem?.fields.currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
        />
        <TextField
          label={t.newPassword}
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          error={problem?.fields.newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
        />
        <FormProblems problem={problem} />
        <button type="submit">{t.save}</button>
      </form>
    </section>
  );
}
