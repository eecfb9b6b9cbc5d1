import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../auth/client';
import type { Catalog } from '../i18n/catalogs';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { defineTexts, useTexts } from '../i18n/texts';
import { SelectField, TextField } from '../ui/forms';
import { useStaffUsers } from '../users/use-users';
import { useAuditLog } from './use-overview';
import './audit-table.css';

/** Recent changes by staff (admins only: the API refuses others); at heading level 1, the whole log with its filters. */
export function AuditTable(props: { limit: number; timeZone: string; headingLevel?: 1 | 2 }) {
  return props.headingLevel === 1 ? (
    <AuditLog timeZone={props.timeZone} />
  ) : (
    <RecentAudit limit={props.limit} timeZone={props.timeZone} />
  );
}

type Entry = {
  id: string;
  occurredAt: string;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
};

function EntriesTable({ items, timeZone, t, label }: { items: Entry[]; timeZone: string; t: Catalog; label?: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t.when}</th>
          <th scope="col">{t.who}</th>
          <th scope="col">{t.what}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((entry) => (
          <tr key={entry.id}>
            <td>{formatInstant(entry.occurredAt, timeZone, t)}</td>
            <td>{entry.actorEmail ?? t.system}</td>
            <td>
              {entry.action} <span className="muted">{entry.entityType}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecentAudit({ limit, timeZone }: { limit: number; timeZone: string }) {
  const t = useCatalog();
  const audit = useAuditLog(limit, true);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t.recentAudit}</h2>
      {audit.isPending && <p>{t.loading}</p>}
      {audit.isError && <p role="alert">{t.failed}</p>}
      {audit.data && audit.data.items.length === 0 && <p>{t.noAudit}</p>}
      {audit.data && audit.data.items.length > 0 && <EntriesTable items={audit.data.items} timeZone={timeZone} t={t} />}
    </section>
  );
}

const auditTexts = defineTexts(
  {
    filters: 'Filter the log',
    actor: 'Who',
    anyone: 'Anyone',
    entity: 'What was changed',
    anything: 'Anything',
    from: 'From day',
    to: 'To day (inclusive)',
    daysIn: (zone: string) => `Days in ${zone}`,
    apply: 'Show',
    results: (from: number, to: number, total: number) =>
      total === 0 ? 'No change matches.' : `Showing ${from}–${to} of ${total}`,
    entries: 'Changes',
  },
  {
    filters: 'Jurnalı süzgəcdən keçir',
    actor: 'Kim',
    anyone: 'Hər kəs',
    entity: 'Nə dəyişdirilib',
    anything: 'Hər şey',
    from: 'Başlanğıc günü',
    to: 'Son gün (daxil olmaqla)',
    daysIn: (zone: string) => `${zone} üzrə günlər`,
    apply: 'Göstər',
    results: (from: number, to: number, total: number) =>
      total === 0 ? 'Uyğun dəyişiklik yoxdur.' : `${total} nəticədən ${from}–${to}`,
    entries: 'Dəyişikliklər',
  },
  {
    filters: 'Фильтр журнала',
    actor: 'Кто',
    anyone: 'Все',
    entity: 'Что изменено',
    anything: 'Всё',
    from: 'С дня',
    to: 'По день (включительно)',
    daysIn: (zone: string) => `Дни по времени ${zone}`,
    apply: 'Показать',
    results: (from: number, to: number, total: number) =>
      total === 0 ? 'Изменений не найдено.' : `${from}–${to} из ${total}`,
    entries: 'Изменения',
  },
);

/** What the service records changes of (the audit entries' entity types). */
const ENTITY_TYPES = [
  'ceremony',
  'booking',
  'volunteer',
  'mailing',
  'reminder-rules',
  'reminder-template',
  'subscriber',
  'suppression',
  'user',
];
const PAGE_SIZE = 50;

/** Minutes the zone is ahead of UTC at an instant (from Intl's numeric parts, present in every ICU build). */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((item) => item.type === type)?.value);
  return (
    (Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instant) /
    60_000
  );
}

/** The instant a calendar day (YYYY-MM-DD, plus `addDays`) begins in the zone. */
function startOfDay(date: string, timeZone: string, addDays = 0): string {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day + addDays);
  // Twice: the offset at the guess may differ from the offset at the answer (a DST change that night).
  const guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  return new Date(wall - offsetMinutes(guess, timeZone) * 60_000).toISOString();
}

interface AuditFilters {
  actorId: string;
  entityType: string;
  from: string;
  to: string;
}

/** The whole audit log: who changed what and when, filtered by actor, entity and days in the edition's zone. */
function AuditLog({ timeZone }: { timeZone: string }) {
  const t = useCatalog();
  const text = useTexts(auditTexts);
  const users = useStaffUsers();
  const [typed, setTyped] = useState<AuditFilters>({ actorId: '', entityType: '', from: '', to: '' });
  const [applied, setApplied] = useState<AuditFilters>(typed);
  const [offset, setOffset] = useState(0);
  const audit = useQuery({
    queryKey: ['audit-log', 'filtered', applied, offset, timeZone],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = {
        limit: PAGE_SIZE,
        offset,
        actorId: applied.actorId || undefined,
        entityType: applied.entityType || undefined,
        from: applied.from ? startOfDay(applied.from, timeZone) : undefined,
        to: applied.to ? startOfDay(applied.to, timeZone, 1) : undefined,
      };
      const { data, response } = await api.GET('/audit-log', { params: { query } });
      if (!data) throw new Error(`GET /audit-log answered ${response.status}`);
      return data;
    },
  });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setOffset(0);
    setApplied(typed);
  }

  const page = audit.data;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t.auditLog}</h1>
      <form role="search" aria-label={text.filters} className="audit-filters" onSubmit={submit}>
        <SelectField
          label={text.actor}
          value={typed.actorId}
          onChange={(event) => setTyped({ ...typed, actorId: event.target.value })}
        >
          <option value="">{text.anyone}</option>
          {(users.data?.items ?? []).map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.email})
            </option>
          ))}
        </SelectField>
        <SelectField
          label={text.entity}
          value={typed.entityType}
          onChange={(event) => setTyped({ ...typed, entityType: event.target.value })}
        >
          <option value="">{text.anything}</option>
          {ENTITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </SelectField>
        <TextField
          label={text.from}
          type="date"
          hint={text.daysIn(timeZone)}
          value={typed.from}
          onChange={(event) => setTyped({ ...typed, from: event.target.value })}
        />
        <TextField
          label={text.to}
          type="date"
          hint={text.daysIn(timeZone)}
          value={typed.to}
          onChange={(event) => setTyped({ ...typed, to: event.target.value })}
        />
        <button type="submit">{text.apply}</button>
      </form>
      {audit.isPending && <p>{t.loading}</p>}
      {audit.isError && <p role="alert">{t.failed}</p>}
      {page && (
        <>
          <p role="status">{text.results(offset + 1, offset + page.items.length, page.total)}</p>
          {page.items.length > 0 && <EntriesTable items={page.items} timeZone={timeZone} t={t} label={text.entries} />}
          {page.total > PAGE_SIZE && (
            <div className="actions">
              <button
                type="button"
                className="secondary"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              >
                {t.previous}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={offset + PAGE_SIZE >= page.total}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                {t.next}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
