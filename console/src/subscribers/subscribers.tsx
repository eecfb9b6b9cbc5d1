import { useState } from 'react';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { useSelectedEdition } from '../ui/edition';
import { ConfirmDialog, Notice, SelectField, TextField } from '../ui/forms';
import { subscribersTexts } from './texts';
import {
  PAGE_SIZE,
  searchParams,
  useSubscribers,
  useUnsubscribe,
  type Subscriber,
  type SubscriberSearch,
  type SubscriberStatus,
} from './use-subscribers';
import './subscribers.css';

const STATUSES: SubscriberStatus[] = ['confirmed', 'pending', 'unsubscribed'];
const LANGUAGE_NAMES: Record<string, string> = { az: 'Azərbaycanca', en: 'English', ru: 'Русский' };

/** Admins find a subscriber, see how many there are, export them, and unsubscribe someone who asked by phone or letter. */
export function Subscribers() {
  const t = useCatalog();
  const text = useTexts(subscribersTexts);
  const { edition } = useSelectedEdition();
  const timeZone = edition?.timeZone ?? 'Asia/Baku';
  const [typed, setTyped] = useState<{ q: string; status: SubscriberStatus | '' }>({ q: '', status: '' });
  const [search, setSearch] = useState<SubscriberSearch>({ q: '', status: '', offset: 0 });
  const [asked, setAsked] = useState<Subscriber | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const list = useSubscribers(search);
  const unsubscribe = useUnsubscribe();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSearch({ ...typed, offset: 0 });
  }

  function confirmUnsubscribe() {
    if (!asked) return;
    const email = asked.email;
    setFailed(false);
    unsubscribe.mutate(asked.id, {
      onSuccess: () => setDone(text.done(email)),
      onError: () => setFailed(true),
      onSettled: () => setAsked(null),
    });
  }

  const page = list.data;
  const csv = searchParams(search);
  csv.set('format', 'csv');
  return (
    <>
      <h1>{text.title}</h1>
      <p className="muted">{text.intro}</p>
      {page && (
        <dl className="figures">
          <div>
            <dt>{text.confirmed}</dt>
            <dd>{page.counts.confirmed}</dd>
          </div>
          <div>
            <dt>{text.pending}</dt>
            <dd>{page.counts.pending}</dd>
          </div>
          <div>
            <dt>{text.unsubscribed}</dt>
            <dd>{page.counts.unsubscribed}</dd>
          </div>
        </dl>
      )}
      <form role="search" className="subscriber-search" onSubmit={submit}>
        <TextField
          label={text.searchLabel}
          type="search"
          value={typed.q}
          onChange={(event) => setTyped({ ...typed, q: event.target.value })}
        />
        <SelectField
          label={text.status}
          value={typed.status}
          onChange={(event) => setTyped({ ...typed, status: event.target.value as SubscriberStatus | '' })}
        >
          <option value="">{text.anyStatus}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {text.statusNames[status]}
            </option>
          ))}
        </SelectField>
        <button type="submit">{t.search}</button>
      </form>
      <Notice>{done}</Notice>
      {failed && <p role="alert">{t.failed}</p>}
      {list.isPending && <p>{t.loading}</p>}
      {list.isError && <p role="alert">{t.failed}</p>}
      {page && (
        <>
          <div className="subscriber-tools">
            <p role="status">{text.results(search.offset + 1, search.offset + page.items.length, page.total)}</p>
            <a href={`/subscribers?${csv.toString()}`} download="subscribers.csv">
              {t.exportCsv}
            </a>
          </div>
          {page.items.length > 0 && (
            <table className="subscribers-table" aria-label={text.listLabel}>
              <thead>
                <tr>
                  <th scope="col">{text.email}</th>
                  <th scope="col">{text.name}</th>
                  <th scope="col">{text.language}</th>
                  <th scope="col">{text.status}</th>
                  <th scope="col">{text.since}</th>
                  <th scope="col">{text.actions}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((subscriber) => (
                  <tr key={subscriber.id}>
                    <th scope="row">{subscriber.email}</th>
                    <td>{subscriber.name ?? ''}</td>
                    <td lang={subscriber.locale}>{LANGUAGE_NAMES[subscriber.locale] ?? subscriber.locale}</td>
                    <td>{text.statusNames[subscriber.status]}</td>
                    <td>{formatInstant(subscriber.confirmedAt ?? subscriber.createdAt, timeZone, t)}</td>
                    <td>
                      {subscriber.status !== 'unsubscribed' && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={text.unsubscribeOne(subscriber.email)}
                          onClick={() => (setDone(null), setAsked(subscriber))}
                        >
                          {text.unsubscribe}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {page.total > PAGE_SIZE && (
            <div className="subscriber-paging">
              <button
                type="button"
                className="secondary"
                disabled={search.offset === 0}
                onClick={() => setSearch({ ...search, offset: Math.max(0, search.offset - PAGE_SIZE) })}
              >
                {t.previous}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={search.offset + PAGE_SIZE >= page.total}
                onClick={() => setSearch({ ...search, offset: search.offset + PAGE_SIZE })}
              >
                {t.next}
              </button>
            </div>
          )}
        </>
      )}
      <ConfirmDialog
        open={asked !== null}
        title={text.confirmTitle}
        confirmLabel={text.unsubscribe}
        cancelLabel={t.cancel}
        busy={unsubscribe.isPending}
        onConfirm={confirmUnsubscribe}
        onCancel={() => setAsked(null)}
      >
        <p>{asked ? text.confirmBody(asked.email) : ''}</p>
      </ConfirmDialog>
    </>
  );
}
