import { useState } from 'react';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { ConfirmDialog, FormProblems, Notice, readProblem, SelectField, TextField, type ApiProblem } from '../ui/forms';
import { usersTexts } from './texts';
import {
  Refusal,
  useCreateUser,
  useResetPassword,
  useSetActive,
  useStaffUsers,
  type NewStaffUser,
  type StaffUser,
} from './use-users';
import './users.css';

type Pending = { kind: 'reset' | 'deactivate' | 'reactivate'; user: StaffUser };
const FIELDS = ['name', 'email', 'role', 'password'] as const;

/** Admins see every staff account, create organizers and admins, mail a reset link, and (de)activate accounts. */
export function Users() {
  const t = useCatalog();
  const text = useTexts(usersTexts);
  const users = useStaffUsers();
  const setActive = useSetActive();
  const reset = useResetPassword();
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  function ask(kind: Pending['kind'], user: StaffUser) {
    setNotice(null);
    setProblem(null);
    setPending({ kind, user });
  }

  function refused(error: unknown) {
    setProblem(
      error instanceof Refusal
        ? readProblem(error.status, error.body, [], t.failed)
        : readProblem(0, null, [], t.failed),
    );
  }

  function confirm() {
    if (!pending) return;
    const { kind, user } = pending;
    const done = { onSettled: () => setPending(null), onError: refused };
    if (kind === 'reset') reset.mutate(user.id, { ...done, onSuccess: () => setNotice(text.resetDone(user.email)) });
    else
      setActive.mutate(
        { id: user.id, active: kind === 'reactivate' },
        {
          ...done,
          onSuccess: () =>
            setNotice(kind === 'reactivate' ? text.reactivated(user.email) : text.deactivated(user.email)),
        },
      );
  }

  const dialog =
    pending &&
    {
      reset: { title: text.resetTitle, body: text.resetBody(pending.user.email), label: text.resetSend },
      deactivate: { title: text.deactivateTitle, body: text.deactivateBody(pending.user.name), label: text.deactivate },
      reactivate: { title: text.reactivateTitle, body: text.reactivateBody(pending.user.name), label: text.reactivate },
    }[pending.kind];

  return (
    <>
      <h1>{text.title}</h1>
      <Notice>{notice}</Notice>
      <FormProblems problem={problem} />
      {users.isPending && <p>{t.loading}</p>}
      {users.isError && <p role="alert">{t.failed}</p>}
      {users.data && (
        <table className="users-table" aria-label={text.listLabel}>
          <thead>
            <tr>
              <th scope="col">{text.name}</th>
              <th scope="col">{text.email}</th>
              <th scope="col">{text.role}</th>
              <th scope="col">{text.active}</th>
              <th scope="col">{text.twoFactor}</th>
              <th scope="col">{text.actions}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.name}</th>
                <td>{user.email}</td>
                <td>{text.roleNames[user.role]}</td>
                <td>{user.active ? text.yes : text.no}</td>
                <td>{user.twoFactorEnabled ? text.on : text.off}</td>
                <td>
                  <div className="user-actions">
                    {user.active && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={text.resetOne(user.name)}
                        onClick={() => ask('reset', user)}
                      >
                        {text.resetPassword}
                      </button>
                    )}
                    {user.active ? (
                      <button
                        type="button"
                        className="danger"
                        aria-label={text.deactivateOne(user.name)}
                        onClick={() => ask('deactivate', user)}
                      >
                        {text.deactivate}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={text.reactivateOne(user.name)}
                        onClick={() => ask('reactivate', user)}
                      >
                        {text.reactivate}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateUser />
      <ConfirmDialog
        open={pending !== null}
        title={dialog?.title ?? ''}
        confirmLabel={dialog?.label ?? t.confirm}
        cancelLabel={t.cancel}
        busy={reset.isPending || setActive.isPending}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>{dialog?.body}</p>
      </ConfirmDialog>
    </>
  );
}

const EMPTY: NewStaffUser = { name: '', email: '', role: 'organizer', password: '' };

function CreateUser() {
  const t = useCatalog();
  const text = useTexts(usersTexts);
  const create = useCreateUser();
  const [form, setForm] = useState<NewStaffUser>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    setCreated(null);
    create.mutate(form, {
      onSuccess: (user) => {
        setCreated(text.created(user.email));
        setForm(EMPTY);
      },
      onError: (error) =>
        setProblem(
          error instanceof Refusal
            ? readProblem(error.status, error.body, FIELDS, t.failed)
            : readProblem(0, null, [], t.failed),
        ),
    });
  }

  const edit = (patch: Partial<NewStaffUser>) => setForm((current) => ({ ...current, ...patch }));
  return (
    <section className="create-user" aria-labelledby="create-user-title">
      <h2 id="create-user-title">{text.createTitle}</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          label={text.name}
          autoComplete="off"
          value={form.name}
          error={problem?.fields.name}
          onChange={(event) => edit({ name: event.target.value })}
        />
        <TextField
          label={text.email}
          type="email"
          autoComplete="off"
          value={form.email}
          error={problem?.fields.email}
          onChange={(event) => edit({ email: event.target.value })}
        />
        <SelectField
          label={text.role}
          value={form.role}
          error={problem?.fields.role}
          onChange={(event) => edit({ role: event.target.value as NewStaffUser['role'] })}
        >
          <option value="organizer">{text.roleNames.organizer}</option>
          <option value="admin">{text.roleNames.admin}</option>
        </SelectField>
        <TextField
          label={text.password}
          type="password"
          autoComplete="new-password"
          hint={text.passwordHint}
          value={form.password}
          error={problem?.fields.password}
          onChange={(event) => edit({ password: event.target.value })}
        />
        <FormProblems problem={problem} />
        <Notice>{created}</Notice>
        <button type="submit" disabled={create.isPending}>
          {t.create}
        </button>
      </form>
    </section>
  );
}
