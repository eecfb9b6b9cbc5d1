import { useState } from 'react';
import { formatDate } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link, navigate } from '../shell/router';
import { ConfirmDialog, FormProblems, Notice, type ApiProblem } from '../ui/forms';
import { bodyOf, EDITION_FIELDS, EditionForm, valuesOfEdition, type EditionValues } from './edition-form';
import { ProgramEditor } from './program-editor';
import { EDITIONS_TEXTS, fill } from './texts';
import {
  problemOf,
  useCopyToNextYear,
  useEdition,
  usePublication,
  useUpdateEdition,
  type EditionView as Edition,
} from './use-editions';
import './editions.css';

/** One edition: its texts in three languages, its program, publication, the copy to next year, its calendar. */
export function EditionView({ id }: { id: string }) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const edition = useEdition(id);
  if (edition.isPending) return <p>{t.loading}</p>;
  if (edition.isError) return <p role="alert">{t.failed}</p>;
  if (!edition.data) {
    return (
      <section aria-labelledby="edition-title">
        <h1 id="edition-title">{texts.notFound}</h1>
        <Link to="/editions">{texts.backToList}</Link>
      </section>
    );
  }
  return <EditionPage edition={edition.data} />;
}

function EditionPage({ edition }: { edition: Edition }) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const update = useUpdateEdition(edition.id);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState('');

  function save(values: EditionValues) {
    setProblem(null);
    setNotice('');
    update.mutate(bodyOf(values, 'edit'), {
      onSuccess: () => setNotice(t.saved),
      onError: (error) => setProblem(problemOf(error, EDITION_FIELDS, t.failed)),
    });
  }

  return (
    <section aria-labelledby="edition-title" className="editions">
      <p>
        <Link to="/editions">{texts.backToList}</Link>
      </p>
      <h1 id="edition-title">
        {fill(texts.editionHeading, { year: edition.year })}: {edition.title}
      </h1>
      <p>
        <span className={`status status-${edition.status}`}>{texts[`status_${edition.status}`]}</span> ·{' '}
        {formatDate(edition.date, t)}, {edition.startTime} ({edition.timeZone}) · {edition.venue.name}
      </p>
      <EditionActions edition={edition} onNotice={setNotice} />
      <Notice>{notice}</Notice>
      <h2 id="edition-details-title">{texts.editDetails}</h2>
      <EditionForm
        labelledBy="edition-details-title"
        key={`${edition.id}-${edition.updatedAt}`}
        mode="edit"
        initial={valuesOfEdition(edition)}
        submitLabel={texts.saveEdition}
        busy={update.isPending}
        problem={problem}
        onSubmit={save}
      />
      <ProgramEditor edition={edition} />
    </section>
  );
}

/** Publish or unpublish (asked once, saying what the public will see), copy to next year, the calendar file. */
function EditionActions({ edition, onNotice }: { edition: Edition; onNotice(text: string): void }) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const publication = usePublication(edition.id);
  const copy = useCopyToNextYear(edition.id);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const publishing = edition.status === 'draft';
  const failed = (error: Error) => setProblem(problemOf(error, [], t.failed));

  function confirmPublication() {
    setProblem(null);
    publication.mutate(publishing, {
      onSuccess: () => {
        setAsking(false);
        onNotice(publishing ? texts.published : texts.unpublished);
      },
      onError: (error) => {
        setAsking(false);
        failed(error);
      },
    });
  }

  function copyToNextYear() {
    setProblem(null);
    copy.mutate(undefined, { onSuccess: (next) => navigate(`/editions/${next.id}`), onError: failed });
  }

  return (
    <div className="edition-actions">
      <div className="actions">
        <button type="button" className={publishing ? undefined : 'danger'} onClick={() => setAsking(true)}>
          {publishing ? texts.publish : texts.unpublish}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={copyToNextYear}
          disabled={copy.isPending}
          aria-describedby="copy-hint"
        >
          {fill(texts.copyNextYear, { year: edition.year + 1 })}
        </button>
        <a href={`/ceremonies/${edition.id}/calendar.ics`} download>
          {texts.calendar}
        </a>
      </div>
      <p id="copy-hint" className="hint">
        {texts.copyHint}
      </p>
      <FormProblems problem={problem} />
      <ConfirmDialog
        open={asking}
        title={fill(publishing ? texts.publishTitle : texts.unpublishTitle, { year: edition.year })}
        confirmLabel={publishing ? texts.publish : texts.unpublish}
        cancelLabel={t.cancel}
        busy={publication.isPending}
        onConfirm={confirmPublication}
        onCancel={() => setAsking(false)}
      >
        <p>{publishing ? texts.publishBody : texts.unpublishBody}</p>
      </ConfirmDialog>
    </div>
  );
}
