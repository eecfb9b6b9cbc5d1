import { useState } from 'react';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link, navigate } from '../shell/router';
import type { ApiProblem } from '../ui/forms';
import { bodyOf, EDITION_FIELDS, EditionForm, valuesOfDefaults, type EditionValues } from './edition-form';
import { EDITIONS_TEXTS } from './texts';
import { problemOf, useCreateEdition, useEditionDefaults } from './use-editions';
import './editions.css';

/** A new edition, prefilled with what the server would apply: the commemoration date of the year and the default zone. */
export function EditionCreate() {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const defaults = useEditionDefaults();
  const create = useCreateEdition();
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  function submit(values: EditionValues) {
    setProblem(null);
    create.mutate(bodyOf(values, 'create'), {
      onSuccess: (edition) => navigate(`/editions/${edition.id}`),
      onError: (error) => setProblem(problemOf(error, EDITION_FIELDS, t.failed)),
    });
  }

  return (
    <section aria-labelledby="edition-create-title" className="editions">
      <p>
        <Link to="/editions">{texts.backToList}</Link>
      </p>
      <h1 id="edition-create-title">{texts.createTitle}</h1>
      {defaults.isPending ? (
        <p>{t.loading}</p>
      ) : defaults.isError ? (
        <p role="alert">{t.failed}</p>
      ) : (
        <>
          <p className="hint">{texts.defaultsHint}</p>
          <EditionForm
            mode="create"
            labelledBy="edition-create-title"
            initial={valuesOfDefaults(defaults.data)}
            submitLabel={t.create}
            busy={create.isPending}
            problem={problem}
            onSubmit={submit}
          />
        </>
      )}
    </section>
  );
}
