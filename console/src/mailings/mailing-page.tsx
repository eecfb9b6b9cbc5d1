import { useState, type FormEvent } from 'react';
import { CATALOGS, LANGUAGES, type Language } from '../i18n/catalogs';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import { Link, useLocation } from '../shell/router';
import { ConfirmDialog, FormProblems, Notice, readProblem, SelectField, TextField, type ApiProblem } from '../ui/forms';
import { Composer, startFromMailing, startFromQuery } from './composer';
import { Deliveries, Progress } from './progress';
import { formatCount, MAILING_TEXTS } from './texts';
import {
  ApiRefusal,
  isLive,
  useAudienceCount,
  useCancel,
  useMailing,
  usePreview,
  useSend,
  useTestSend,
  type Mailing,
} from './use-mailings';
import { useConsoleZone } from './zone';
import { localToInstant } from './zone-time';
import './mailings.css';

function problemOf(error: unknown, fields: string[], fallback: string): ApiProblem | null {
  if (!error) return null;
  if (error instanceof ApiRefusal) return readProblem(error.status, error.body, fields, fallback);
  return { fields: {}, general: [fallback], status: 0, codes: [] };
}

/** `/mailings/new`: an empty draft, or one prefilled by the link that opened it. */
export function NewMailing() {
  const m = useTexts(MAILING_TEXTS);
  const { search } = useLocation();
  return (
    <section aria-labelledby="mailing-title">
      <p>
        <Link to="/mailings">{m.back}</Link>
      </p>
      <h1 id="mailing-title">{m.newTitle}</h1>
      <Composer start={startFromQuery(search)} />
    </section>
  );
}

/** `/mailings/:id`: a draft is edited, previewed, tested and sent; a sent one shows its progress and deliveries. */
export function MailingPage({ id }: { id: string }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const mailing = useMailing(id);
  if (mailing.isPending) return <p>{t.loading}</p>;
  if (mailing.isError) return <p role="alert">{t.failed}</p>;
  if (!mailing.data) return <p>{m.notFound}</p>;
  const data = mailing.data;
  return (
    <section aria-labelledby="mailing-title">
      <p>
        <Link to="/mailings">{m.back}</Link>
      </p>
      <h1 id="mailing-title">{data.name}</h1>
      <p>
        {m.state}: <strong>{m[`mailing_${data.status}`]}</strong>
      </p>
      {data.status === 'draft' ? (
        <>
          <Composer key={data.id} mailing={data} start={startFromMailing(data)} />
          <PreviewSection mailing={data} />
          <TestSection mailing={data} />
          <SendSection mailing={data} />
        </>
      ) : (
        <>
          <Progress mailing={data} />
          {isLive(data) && <CancelSection mailing={data} />}
          <Deliveries mailing={data} />
        </>
      )}
    </section>
  );
}

function PreviewSection({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const [sample, setSample] = useState('');
  const [locale, setLocale] = useState<Language>('en');
  const preview = usePreview(mailing.id);
  const problem = problemOf(preview.error, ['sample', 'locale'], t.failed);

  function submit(event: FormEvent) {
    event.preventDefault();
    preview.mutate({ ...(sample.trim() ? { sample: sample.trim() } : {}), locale });
  }

  const shown = preview.data;
  return (
    <section aria-labelledby="preview-title" className="panel">
      <h2 id="preview-title">{m.preview}</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <TextField
          label={m.sample}
          type="email"
          value={sample}
          hint={m.sampleHint}
          error={problem?.fields.sample}
          onChange={(event) => setSample(event.target.value)}
        />
        <SelectField
          label={m.sampleLanguage}
          value={locale}
          onChange={(event) => setLocale(event.target.value as Language)}
        >
          {LANGUAGES.map((code) => (
            <option key={code} value={code} lang={code}>
              {CATALOGS[code].languageName}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit" disabled={preview.isPending}>
            {m.showPreview}
          </button>
        </div>
        <FormProblems problem={problem} />
      </form>
      {shown && (
        <article className="preview" aria-labelledby="preview-subject" lang={shown.locale}>
          <p className="muted">{m.previewFor(shown.email, CATALOGS[shown.locale].languageName)}</p>
          {!shown.audienceMember && <p className="hint">{m.notMember}</p>}
          <h3 id="preview-subject">{shown.subject}</h3>
          <div className="preview-bodies">
            <div>
              <h4>{m.htmlPreview}</h4>
              {/* sandbox="": no scripts, no forms, no navigation, an opaque origin; the console's CSP applies inside too. */}
              {shown.html ? <iframe title={m.htmlPreview} sandbox="" srcDoc={shown.html} /> : <p>{m.noHtml}</p>}
            </div>
            <div>
              <h4>{m.textPreview}</h4>
              <pre tabIndex={0} aria-label={m.textPreview}>
                {shown.text}
              </pre>
            </div>
          </div>
        </article>
      )}
    </section>
  );
}

function TestSection({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState<Language>(useLanguage());
  const test = useTestSend(mailing.id);
  const problem = problemOf(test.error, ['email', 'locale'], t.failed);

  function submit(event: FormEvent) {
    event.preventDefault();
    test.mutate({ email: email.trim(), locale });
  }

  return (
    <section aria-labelledby="test-title" className="panel">
      <h2 id="test-title">{m.testSend}</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <TextField
          label={m.testAddress}
          type="email"
          value={email}
          error={problem?.fields.email}
          onChange={(event) => (test.reset(), setEmail(event.target.value))}
        />
        <SelectField
          label={m.testLanguage}
          value={locale}
          error={problem?.fields.locale}
          onChange={(event) => setLocale(event.target.value as Language)}
        >
          {LANGUAGES.map((code) => (
            <option key={code} value={code} lang={code}>
              {CATALOGS[code].languageName}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit" disabled={test.isPending}>
            {m.sendTest}
          </button>
        </div>
        <FormProblems problem={problem} />
        <Notice>{test.data ? m.testSent(test.data.sentTo) : null}</Notice>
      </form>
    </section>
  );
}

function SendSection({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const zone = useConsoleZone()(mailing);
  const count = useAudienceCount(mailing.audience);
  const [local, setLocal] = useState('');
  const [localError, setLocalError] = useState<string | undefined>();
  const [asking, setAsking] = useState<'now' | 'later' | null>(null);
  const at = asking === 'later' ? localToInstant(local, zone) : null;
  const send = useSend(mailing.id, () => at ?? undefined);
  const problem = problemOf(send.error, ['at'], t.failed);
  const recipients = formatCount(count.data ?? 0, language);

  function ask(when: 'now' | 'later') {
    setLocalError(undefined);
    if (when === 'later') {
      const instant = localToInstant(local, zone);
      if (!instant) return setLocalError(m.sendAtRequired);
      if (new Date(instant).getTime() <= Date.now()) return setLocalError(m.sendAtPast);
    }
    send.reset();
    // The count is read again as the question is asked: the audience may have changed since the page opened.
    void count.refetch();
    setAsking(when);
  }

  return (
    <section aria-labelledby="send-title" className="panel">
      <h2 id="send-title">{m.sending}</h2>
      <p>
        <strong>{count.data === undefined ? m.counting : m.recipients(recipients, count.data)}</strong>
      </p>
      <div className="actions">
        <button type="button" onClick={() => ask('now')}>
          {m.sendNow}
        </button>
      </div>
      <div className="schedule">
        <TextField
          label={m.sendAt(zone)}
          type="datetime-local"
          value={local}
          error={localError ?? problem?.fields.at}
          onChange={(event) => setLocal(event.target.value)}
        />
        <div className="actions">
          <button type="button" className="secondary" onClick={() => ask('later')}>
            {m.schedule}
          </button>
        </div>
      </div>
      <FormProblems problem={problem} />
      <ConfirmDialog
        open={asking !== null}
        title={m.confirmSendTitle}
        confirmLabel={asking === 'later' ? m.scheduleButton : m.sendButton}
        cancelLabel={t.cancel}
        busy={send.isPending || count.isFetching}
        onCancel={() => setAsking(null)}
        onConfirm={() => send.mutate(undefined, { onSettled: () => setAsking(null) })}
      >
        <p>
          <strong>
            {at
              ? m.confirmSchedule(recipients, count.data ?? 0, formatInstant(at, zone, t))
              : m.confirmSend(recipients, count.data ?? 0)}
          </strong>
        </p>
        <p>{m.confirmSendNote}</p>
      </ConfirmDialog>
    </section>
  );
}

function CancelSection({ mailing }: { mailing: Mailing }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const [asking, setAsking] = useState(false);
  const cancel = useCancel(mailing.id);
  const problem = problemOf(cancel.error, [], t.failed);
  return (
    <div className="panel">
      <button type="button" className="danger" onClick={() => (cancel.reset(), setAsking(true))}>
        {m.cancelMailing}
      </button>
      <FormProblems problem={problem} />
      <ConfirmDialog
        open={asking}
        title={m.confirmCancelTitle}
        confirmLabel={m.cancelButton}
        cancelLabel={m.keep}
        busy={cancel.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={() => cancel.mutate(undefined, { onSettled: () => setAsking(false) })}
      >
        <p>{m.confirmCancel(formatCount(mailing.counts.queued, language))}</p>
      </ConfirmDialog>
    </div>
  );
}
