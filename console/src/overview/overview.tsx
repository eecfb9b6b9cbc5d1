import { useSession } from '../auth/session';
import { formatDate, formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { AuditTable } from './audit-table';
import { MailingsInProgress } from './mailings-in-progress';
import { useOverview } from './use-overview';

export function Overview() {
  const t = useCatalog();
  const { me } = useSession();
  const overview = useOverview();
  if (overview.isPending) return <p>{t.loading}</p>;
  if (overview.isError) return <p role="alert">{t.failed}</p>;
  if (!overview.data) {
    return (
      <section aria-labelledby="overview-title">
        <h1 id="overview-title">{t.overview}</h1>
        <p>{t.noEdition}</p>
      </section>
    );
  }
  const { edition, daysUntil, visits, volunteerRoles, subscribers, reminderRuns } = overview.data;
  const zone = edition.timeZone;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">
        {t.overview}: {edition.title}
      </h1>
      <p>
        {formatDate(edition.date, t)}, {edition.startTime} ({zone}) · {edition.venue.name}
      </p>
      <dl className="figures">
        <div>
          <dt>{t.daysUntil}</dt>
          <dd>{daysUntil > 0 ? daysUntil : daysUntil === 0 ? t.today : t.passed}</dd>
        </div>
        <div>
          <dt>{t.subscribers}</dt>
          <dd>{subscribers.confirmed}</dd>
        </div>
        <div>
          <dt>{t.booked}</dt>
          <dd>
            {visits.booked} / {visits.capacity}
          </dd>
        </div>
        <div>
          <dt>{t.checkedIn}</dt>
          <dd>{visits.checkedIn}</dd>
        </div>
      </dl>

      <h2 id="visits-title">{t.visits}</h2>
      {visits.slots.length === 0 ? (
        <p>{t.noSlots}</p>
      ) : (
        <table aria-labelledby="visits-title">
          <thead>
            <tr>
              <th scope="col">{t.slot}</th>
              <th scope="col">{t.booked}</th>
              <th scope="col">{t.free}</th>
              <th scope="col">{t.waiting}</th>
              <th scope="col">{t.checkedIn}</th>
            </tr>
          </thead>
          <tbody>
            {visits.slots.map((slot) => (
              <tr key={slot.id}>
                <th scope="row">{formatInstant(slot.startsAt, zone, t)}</th>
                <td>{slot.booked}</td>
                <td>{slot.remaining}</td>
                <td>{slot.waitlisted}</td>
                <td>{slot.checkedIn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="volunteers-title">{t.volunteers}</h2>
      {volunteerRoles.length === 0 ? (
        <p>{t.noRoles}</p>
      ) : (
        <table aria-labelledby="volunteers-title">
          <thead>
            <tr>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.filled}</th>
              <th scope="col">{t.waiting}</th>
            </tr>
          </thead>
          <tbody>
            {volunteerRoles.map((role) => (
              <tr key={role.id}>
                <th scope="row">{role.name}</th>
                <td>
                  {role.filled} / {role.capacity}
                </td>
                <td>{role.waitlisted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="reminders-title">{t.reminders}</h2>
      {reminderRuns.length === 0 ? (
        <p>{t.noRuns}</p>
      ) : (
        <table aria-labelledby="reminders-title">
          <thead>
            <tr>
              <th scope="col">{t.reminder}</th>
              <th scope="col">{t.due}</th>
              <th scope="col">{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {reminderRuns.map((run) => (
              <tr key={`${run.ruleId}-${run.year}`}>
                <th scope="row">{run.ruleName}</th>
                <td>{formatInstant(run.dueAt, zone, t)}</td>
                <td>{t[`status_${run.status}`]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {me?.role === 'admin' && <MailingsInProgress timeZone={zone} />}
      {me?.role === 'admin' && <AuditTable limit={10} timeZone={zone} />}
    </section>
  );
}
