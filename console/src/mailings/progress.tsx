import { useId, useState } from 'react';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import { SelectField } from '../ui/forms';
import { formatCount, MAILING_TEXTS } from './texts';
import { isLive, useDeliveries, type DeliveryStatus, type Mailing } from './use-mailings';
import { useConsoleZone } from './zone';

const STATUSES: DeliveryStatus[] = ['queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled'];

/** Sent, failed, skipped and queued as a bar and as text; refreshed every second while the mailing is live. */
export function Progress({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const zone = useConsoleZone()(mailing);
  const labelId = useId();
  const { total, sent, failed, skipped, queued, sending, cancelled } = mailing.counts;
  const done = sent + failed + skipped + cancelled;
  const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
  const n = (value: number) => formatCount(value, language);
  return (
    <section aria-labelledby={labelId} className="panel">
      <h2 id={labelId}>{m.progress}</h2>
      {mailing.status === 'scheduled' && mailing.sendAt && (
        <p>{m.scheduledFor(formatInstant(mailing.sendAt, zone, t))}</p>
      )}
      {mailing.stoppedReason && <p className="error">{m.stopped(mailing.stoppedReason)}</p>}
      <progress
        max={100}
        value={percent}
        aria-labelledby={labelId}
        aria-valuetext={m.progressText(n(done), n(total), percent)}
      />
      <p>{m.progressText(n(done), n(total), percent)}</p>
      <dl className="figures">
        <div>
          <dt>{m.count_sent}</dt>
          <dd>{n(sent)}</dd>
        </div>
        <div>
          <dt>{m.count_failed}</dt>
          <dd>{n(failed)}</dd>
        </div>
        <div>
          <dt>{m.count_skipped}</dt>
          <dd>{n(skipped)}</dd>
        </div>
        <div>
          <dt>{m.count_queued}</dt>
          <dd>{n(queued + sending)}</dd>
        </div>
        {cancelled > 0 && (
          <div>
            <dt>{m.count_cancelled}</dt>
            <dd>{n(cancelled)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** One row per recipient with the server's reply, so a refused address shows why. */
export function Deliveries({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const zone = useConsoleZone()(mailing);
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const deliveries = useDeliveries(
    mailing.id,
    status || undefined,
    isLive(mailing),
    `${mailing.status}:${JSON.stringify(mailing.counts)}`,
  );
  const items = deliveries.data?.items ?? [];
  return (
    <section aria-labelledby="deliveries-title" className="panel">
      <h2 id="deliveries-title">{m.deliveries}</h2>
      <SelectField
        label={m.filterStatus}
        value={status}
        onChange={(event) => setStatus(event.target.value as DeliveryStatus | '')}
      >
        <option value="">{m.allStatuses}</option>
        {STATUSES.map((value) => (
          <option key={value} value={value}>
            {m[`delivery_${value}`]}
          </option>
        ))}
      </SelectField>
      {deliveries.isPending ? (
        <p>{t.loading}</p>
      ) : items.length === 0 ? (
        <p>{m.noDeliveries}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="deliveries-title">
            <thead>
              <tr>
                <th scope="col">{m.email}</th>
                <th scope="col">{m.delivery_status}</th>
                <th scope="col">{m.reply}</th>
                <th scope="col">{m.sentAt}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id}>
                  <th scope="row">{delivery.email}</th>
                  <td>{m[`delivery_${delivery.status}`]}</td>
                  <td className="reply">{delivery.lastError ?? delivery.smtpResponse ?? delivery.skipReason ?? ''}</td>
                  <td>{delivery.sentAt ? formatInstant(delivery.sentAt, zone, t) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {deliveries.data && deliveries.data.total > items.length && (
            <p className="hint">{m.showing(items.length, deliveries.data.total)}</p>
          )}
        </div>
      )}
    </section>
  );
}
