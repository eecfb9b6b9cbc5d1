import { useState } from 'react';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import type { Edition } from '../ui/edition';
import { FormProblems, Notice, readProblem, SelectField, type ApiProblem } from '../ui/forms';

import { volunteerTexts } from './texts';
import {
  Refusal,
  ROSTER_PAGE,
  useRoles,
  useRoster,
  useUpdateVolunteer,
  type Volunteer,
  type VolunteerRole,
  type VolunteerStatus,
} from './use-volunteers';
import { VolunteersFrame } from './volunteers-frame';

const STATUSES: VolunteerStatus[] = ['pending', 'confirmed', 'withdrawn'];

export function VolunteerRosterView() {
  return <VolunteersFrame>{(edition) => <Roster edition={edition} />}</VolunteersFrame>;
}

function Roster({ edition }: { edition: Edition }) {
  const t = useTexts(volunteerTexts);
  const common = useCatalog();
  const language = useLanguage();
  const [status, setStatus] = useState<VolunteerStatus | ''>('');
  const [roleId, setRoleId] = useState('');
  const [offset, setOffset] = useState(0);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const roles = useRoles(edition.id);
  const roster = useRoster(edition.id, { status: status || undefined, roleId: roleId || undefined, offset });
  const update = useUpdateVolunteer();

  // The download carries the same filters, and the console's language for the role names.
  const csv = new URLSearchParams({ format: 'csv', lang: language });
  if (status) csv.set('status', status);
  if (roleId) csv.set('roleId', roleId);
  const csvHref = `/ceremonies/${encodeURIComponent(edition.id)}/volunteers?${csv.toString()}`;

  async function change(
    volunteer: Volunteer,
    body: { status?: 'confirmed'; roleIds?: string[] },
    done: (after: Volunteer) => string,
  ) {
    setProblem(null);
    setNotice(null);
    try {
      const after = await update.mutateAsync({ id: volunteer.id, change: body });
      setNotice(done(after));
    } catch (error) {
      setProblem(
        error instanceof Refusal
          ? readProblem(error.status, error.body, [], common.failed)
          : readProblem(0, null, [], common.failed),
      );
    }
  }

  return (
    <>
      <fieldset className="filters">
        <legend className="sr-only">{t.filters}</legend>
        <SelectField label={t.role} value={roleId} onChange={(event) => (setRoleId(event.target.value), setOffset(0))}>
          <option value="">{t.allRoles}</option>
          {(roles.data ?? []).map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t.status}
          value={status}
          onChange={(event) => (setStatus(event.target.value as VolunteerStatus | ''), setOffset(0))}
        >
          <option value="">{t.allStatuses}</option>
          {STATUSES.map((item) => (
            <option key={item} value={item}>
              {t.statusName[item]}
            </option>
          ))}
        </SelectField>
        <a href={csvHref} download="volunteers.csv">
          {common.exportCsv}
        </a>
      </fieldset>
      <Notice>{notice}</Notice>
      <FormProblems problem={problem} />
      <h2 id="roster-title">{roster.data ? t.total(roster.data.total) : t.rosterTab}</h2>
      {roster.isPending ? (
        <p>{common.loading}</p>
      ) : roster.isError ? (
        <p role="alert">{common.failed}</p>
      ) : roster.data.items.length === 0 ? (
        <p>{t.noVolunteers}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="roster-title">
            <thead>
              <tr>
                <th scope="col">{t.volunteer}</th>
                <th scope="col">{t.email}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.rolesColumn}</th>
                <th scope="col">{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {roster.data.items.map((volunteer) => (
                <RosterRow
                  key={volunteer.id}
                  volunteer={volunteer}
                  roles={roles.data ?? []}
                  busy={update.isPending}
                  onChange={(body, done) => void change(volunteer, body, done)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {roster.data && roster.data.total > ROSTER_PAGE && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - ROSTER_PAGE))}
          >
            {common.previous}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={offset + ROSTER_PAGE >= roster.data.total}
            onClick={() => setOffset(offset + ROSTER_PAGE)}
          >
            {common.next}
          </button>
        </div>
      )}
    </>
  );
}

function RosterRow(props: {
  volunteer: Volunteer;
  roles: VolunteerRole[];
  busy: boolean;
  onChange(body: { status?: 'confirmed'; roleIds?: string[] }, done: (after: Volunteer) => string): void;
}) {
  const t = useTexts(volunteerTexts);
  const { volunteer, roles } = props;
  const [target, setTarget] = useState('');
  const name = volunteer.name ?? '—';
  const others = roles.filter(
    (role) => !volunteer.roles.some((held) => held.roleId === role.id && held.state === 'assigned'),
  );
  const stateOf = (state: string, rank: number | null | undefined) =>
    state === 'assigned'
      ? t.stateAssigned
      : state === 'waitlisted'
        ? t.stateWaitlisted(rank ?? null)
        : t.stateRequested;
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="email">{volunteer.email ?? '—'}</td>
      <td>{t.statusName[volunteer.status]}</td>
      <td>
        <ul className="role-states">
          {volunteer.roles.map((role) => (
            <li key={role.roleId}>
              {role.name} {role.shiftStart}–{role.shiftEnd}: {stateOf(role.state, role.waitlistRank)}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <div className="row-actions">
          {volunteer.status === 'pending' && (
            <button
              type="button"
              disabled={props.busy}
              aria-label={t.named(t.approve, name)}
              onClick={() => props.onChange({ status: 'confirmed' }, (after) => t.approved(after.name ?? name))}
            >
              {t.approve}
            </button>
          )}
          {volunteer.status !== 'withdrawn' && others.length > 0 && (
            <>
              <SelectField label={t.moveTo} value={target} onChange={(event) => setTarget(event.target.value)}>
                <option value="">—</option>
                {others.map((role) => (
                  <option key={role.id} value={role.id}>
                    {role.name}
                  </option>
                ))}
              </SelectField>
              <button
                type="button"
                className="secondary"
                disabled={props.busy || target === ''}
                aria-label={t.named(t.move, name)}
                onClick={() =>
                  props.onChange({ roleIds: [target] }, (after) =>
                    t.moved(after.name ?? name, after.roles.find((role) => role.roleId === target)?.name ?? ''),
                  )
                }
              >
                {t.move}
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
