import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useAuditLog } from './use-overview';

/** Recent changes by staff (admins only: the API refuses others). */
export function AuditTable({ limit, timeZone, headingLevel = 2 }: { limit: number; timeZone: string; headingLevel?: 1 | 2 }) {
  const t = useCatalog();
  const audit = useAuditLog(limit, true);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section aria-labelledby="audit-title">
      <Heading id="audit-title">{headingLevel === 1 ? t.auditLog : t.recentAudit}</Heading>
      {audit.isPending && <p>{t.loading}</p>}
      {audit.isError && <p role="alert">{t.failed}</p>}
      {audit.data && audit.data.items.length === 0 && <p>{t.noAudit}</p>}
      {audit.data && audit.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.what}</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.items.map((entry) => (
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
      )}
    </section>
  );
}
