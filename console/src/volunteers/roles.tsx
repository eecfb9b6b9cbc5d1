import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSession } from '../auth/session';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link } from '../shell/router';
import type { Edition } from '../ui/edition';
import {
  ConfirmDialog,
  FormProblems,
  Notice,
  readProblem,
  TextAreaField,
  TextField,
  type ApiProblem,
} from '../ui/forms';

import { volunteerTexts } from './texts';
import { Refusal, useDeleteRole, useRoles, useSaveRole, type RoleInput, type VolunteerRole } from './use-volunteers';
import { VolunteersFrame } from './volunteers-frame';

const LOCALES = ['az', 'en', 'ru'] as const;
type Locale = (typeof LOCALES)[number];
type Texts = Record<Locale, string>;

interface Draft {
  name: Texts;
  description: Texts;
  capacity: string;
  shiftStart: string;
  shiftEnd: string;
}

const FIELDS = [
  'name',
  ...LOCALES.map((l) => `name.${l}`),
  'description',
  ...LOCALES.map((l) => `description.${l}`),
  'capacity',
  'shiftStart',
  'shiftEnd',
];
const EMPTY: Draft = {
  name: { az: '', en: '', ru: '' },
  description: { az: '', en: '', ru: '' },
  capacity: '',
  shiftStart: '',
  shiftEnd: '',
};

function draftOf(role: VolunteerRole): Draft {
  const texts = (field: string): Texts => {
    const map = role.translations[field] ?? {};
    return { az: map.az ?? '', en: map.en ?? '', ru: map.ru ?? '' };
  };
  return {
    name: texts('name'),
    description: texts('description'),
    capacity: String(role.capacity),
    shiftStart: role.shiftStart,
    shiftEnd: role.shiftEnd,
  };
}

/** Only the languages typed in; an empty description clears it on edit. */
function inputOf(draft: Draft, editing: boolean): RoleInput {
  const map = (texts: Texts) =>
    Object.fromEntries(LOCALES.filter((l) => texts[l].trim() !== '').map((l) => [l, texts[l]]));
  const description = map(draft.description);
  return {
    name: map(draft.name),
    ...(Object.keys(description).length > 0 ? { description } : editing ? { description: '' } : {}),
    capacity: Number(draft.capacity),
    shiftStart: draft.shiftStart,
    shiftEnd: draft.shiftEnd,
  };
}

export function VolunteerRolesView() {
  return <VolunteersFrame>{(edition) => <RolesEditor edition={edition} />}</VolunteersFrame>;
}

function RolesEditor({ edition }: { edition: Edition }) {
  const t = useTexts(volunteerTexts);
  const common = useCatalog();
  const isAdmin = useSession().me?.role === 'admin';
  const roles = useRoles(edition.id);
  const save = useSaveRole(edition.id);
  const remove = useDeleteRole();
  const [editing, setEditing] = useState<VolunteerRole | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [deleting, setDeleting] = useState<VolunteerRole | null>(null);
  const [deleteProblem, setDeleteProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const zone = edition.timeZone;
  const formHeading = useRef<HTMLHeadingElement>(null);
  // Edit opens the form below the table: focus goes there, so keyboard and screen-reader users follow.
  useEffect(() => {
    if (editing) formHeading.current?.focus();
  }, [editing]);

  function startEdit(role: VolunteerRole | null) {
    setEditing(role);
    setDraft(role ? draftOf(role) : EMPTY);
    setProblem(null);
    setNotice(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setNotice(null);
    try {
      const saved = await save.mutateAsync({ roleId: editing?.id ?? null, input: inputOf(draft, editing !== null) });
      setNotice(editing ? t.roleSaved(saved.name) : t.roleCreated(saved.name));
      resetForm();
    } catch (error) {
      setProblem(
        error instanceof Refusal
          ? readProblem(error.status, error.body, FIELDS, common.failed)
          : readProblem(0, null, [], common.failed),
      );
    }
  }

  function resetForm() {
    setEditing(null);
    setDraft(EMPTY);
  }

  async function confirmDelete() {
    if (!deleting) return;
    const role = deleting;
    try {
      await remove.mutateAsync(role.id);
      setDeleting(null);
      setDeleteProblem(null);
      if (editing?.id === role.id) resetForm();
      setNotice(t.roleDeleted(role.name));
    } catch (error) {
      // The refusal (volunteers hold the role) is shown in the dialog and again on the page once it closes.
      const refused =
        error instanceof Refusal
          ? readProblem(error.status, error.body, [], common.failed)
          : readProblem(0, null, [], common.failed);
      setDeleteProblem(refused);
    }
  }

  const setText = (field: 'name' | 'description', locale: Locale, value: string) =>
    setDraft((current) => ({ ...current, [field]: { ...current[field], [locale]: value } }));
  const fieldError = (path: string) => problem?.fields[path];

  return (
    <>
      <Notice>{notice}</Notice>
      {deleteProblem && !deleting && <FormProblems problem={deleteProblem} />}
      <h2 id="roles-title">{t.roles}</h2>
      {roles.isPending ? (
        <p>{common.loading}</p>
      ) : roles.isError ? (
        <p role="alert">{common.failed}</p>
      ) : roles.data.length === 0 ? (
        <p>{t.noRoles}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="roles-title">
            <thead>
              <tr>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.shift}</th>
                <th scope="col">{t.filledOfCapacity}</th>
                <th scope="col">{t.waitlisted}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((role) => (
                <tr key={role.id}>
                  <th scope="row">{role.name}</th>
                  <td>
                    {role.shiftStart}–{role.shiftEnd} ({zone})
                  </td>
                  <td>
                    {role.filled} / {role.capacity}
                  </td>
                  <td>{role.waitlisted}</td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t.named(common.edit, role.name)}
                        onClick={() => startEdit(role)}
                      >
                        {common.edit}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={t.named(common.remove, role.name)}
                        onClick={() => (setDeleteProblem(null), setDeleting(role))}
                      >
                        {common.remove}
                      </button>
                      {isAdmin && (
                        // Only admins send mailings; the composer reads the audience from these parameters.
                        <Link
                          to={`/mailings/new?audience=volunteers&edition=${encodeURIComponent(edition.id)}&roleId=${encodeURIComponent(role.id)}`}
                          aria-label={t.named(t.writeToRole, role.name)}
                        >
                          {t.writeToRole}
                        </Link>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="role-form-title" ref={formHeading} tabIndex={-1}>
        {editing ? t.editRole(editing.name) : t.newRole}
      </h2>
      <form className="role-form" aria-labelledby="role-form-title" onSubmit={(event) => void submit(event)} noValidate>
        <FormProblems problem={problem} />
        {(['name', 'description'] as const).map((field) => (
          // A refusal of the whole text (no language at all) describes the group of its three fields.
          <fieldset key={field} aria-describedby={fieldError(field) ? `${field}-error` : undefined}>
            <legend>{field === 'name' ? t.name : t.description}</legend>
            {fieldError(field) && (
              <p id={`${field}-error`} className="field-error">
                {fieldError(field)}
              </p>
            )}
            <div className="languages">
              {LOCALES.map((locale) => {
                const props = {
                  label: `${field === 'name' ? t.name : t.description} (${t.inLanguage[locale]})`,
                  lang: locale,
                  value: draft[field][locale],
                  error: fieldError(`${field}.${locale}`),
                };
                return field === 'name' ? (
                  <TextField
                    key={locale}
                    {...props}
                    maxLength={200}
                    onChange={(event) => setText(field, locale, event.target.value)}
                  />
                ) : (
                  <TextAreaField
                    key={locale}
                    {...props}
                    maxLength={2000}
                    onChange={(event) => setText(field, locale, event.target.value)}
                  />
                );
              })}
            </div>
          </fieldset>
        ))}
        <div className="shift-fields">
          <TextField
            label={t.capacity}
            type="number"
            min={1}
            inputMode="numeric"
            value={draft.capacity}
            error={fieldError('capacity')}
            onChange={(event) => setDraft({ ...draft, capacity: event.target.value })}
          />
          <TextField
            label={t.shiftStart}
            type="time"
            value={draft.shiftStart}
            hint={t.localTime(zone)}
            error={fieldError('shiftStart')}
            onChange={(event) => setDraft({ ...draft, shiftStart: event.target.value })}
          />
          <TextField
            label={t.shiftEnd}
            type="time"
            value={draft.shiftEnd}
            hint={t.localTime(zone)}
            error={fieldError('shiftEnd')}
            onChange={(event) => setDraft({ ...draft, shiftEnd: event.target.value })}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? t.saveRole : common.create}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => startEdit(null)}>
              {common.cancel}
            </button>
          )}
        </div>
      </form>

      <ConfirmDialog
        open={deleting !== null}
        title={deleting ? t.deleteRoleTitle(deleting.name) : ''}
        confirmLabel={common.remove}
        cancelLabel={common.cancel}
        busy={remove.isPending}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p>{t.deleteRoleBody}</p>
        <FormProblems problem={deleteProblem} />
      </ConfirmDialog>
    </>
  );
}
