import { useState, type FormEvent } from 'react';
import { CATALOGS, LANGUAGES, type Language } from '../i18n/catalogs';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import { navigate } from '../shell/router';
import { useEditions } from '../ui/edition';
import { FormProblems, Notice, readProblem, SelectField, TextAreaField, TextField, type ApiProblem } from '../ui/forms';
import { LanguageTabs } from './language-tabs';
import { formatCount, MAILING_TEXTS, type MailingTexts } from './texts';
import {
  ApiRefusal,
  useAudienceCount,
  useSaveDraft,
  useTemplateVariables,
  useVolunteerRoles,
  type Audience,
  type Mailing,
  type MailingContent,
} from './use-mailings';
import './mailings.css';

const KINDS = ['subscribers', 'visitors', 'volunteers', 'all'] as const;
type Kind = (typeof KINDS)[number];
const FIELDS = ['subject', 'text', 'html'] as const;
type Field = (typeof FIELDS)[number];
type Texts = Record<Language, Record<Field, string>>;

/** What the composer starts from: a draft, or the query of a link from another view (`?audience=volunteers&edition=…&roleId=…`). */
export interface ComposerStart {
  name: string;
  kind: Kind;
  ceremonyId: string;
  roleId: string;
  status: string;
  texts: Texts;
}

export function startFromMailing(mailing: Mailing): ComposerStart {
  const filters = (mailing.audience.filters ?? {}) as Record<string, unknown>;
  const texts = Object.fromEntries(
    LANGUAGES.map((language) => {
      const localized = mailing.content[language];
      return [
        language,
        { subject: localized?.subject ?? '', text: localized?.text ?? '', html: localized?.html ?? '' },
      ];
    }),
  ) as Texts;
  return {
    name: mailing.name,
    kind: mailing.audience.kind,
    ceremonyId: mailing.audience.ceremonyId ?? '',
    roleId: String(filters.roleId ?? ''),
    status: String(filters.status ?? ''),
    texts,
  };
}

export function startFromQuery(search: URLSearchParams): ComposerStart {
  const wanted = search.get('audience') as Kind | null;
  const empty = Object.fromEntries(
    LANGUAGES.map((language) => [language, { subject: '', text: '', html: '' }]),
  ) as Texts;
  return {
    name: '',
    kind: wanted && KINDS.includes(wanted) ? wanted : 'subscribers',
    ceremonyId: search.get('edition') ?? '',
    roleId: search.get('roleId') ?? '',
    status: search.get('status') ?? '',
    texts: empty,
  };
}

function audienceOf(start: Pick<ComposerStart, 'kind' | 'ceremonyId' | 'roleId' | 'status'>): Audience {
  const filters: Record<string, string> = {};
  if (start.kind === 'volunteers' && start.roleId) filters.roleId = start.roleId;
  if (start.kind === 'visitors' && start.status) filters.status = start.status;
  return {
    kind: start.kind,
    ...(start.ceremonyId ? { ceremonyId: start.ceremonyId } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
  };
}

/** Only the languages written go to the API; an empty HTML field means "text only". */
function contentOf(texts: Texts): MailingContent {
  const content: MailingContent = {};
  for (const language of LANGUAGES) {
    const { subject, text, html } = texts[language];
    if (!subject && !text && !html) continue;
    content[language] = { subject, text, ...(html ? { html } : {}) };
  }
  return content;
}

const AUDIENCE_FIELDS = [
  'name',
  'audience.kind',
  'audience.ceremonyId',
  'audience.filters.roleId',
  'audience.filters.status',
];
const KNOWN_FIELDS = [
  ...AUDIENCE_FIELDS,
  ...LANGUAGES.flatMap((language) => FIELDS.map((field) => `content.${language}.${field}`)),
];

function problemOf(error: unknown, fallback: string): ApiProblem | null {
  if (!error) return null;
  if (error instanceof ApiRefusal) return readProblem(error.status, error.body, KNOWN_FIELDS, fallback);
  return { fields: {}, general: [fallback], status: 0, codes: [] };
}

/** The draft's name, audience (with its recipient count) and the message per language. */
export function Composer({ mailing, start }: { mailing?: Mailing; start: ComposerStart }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const [name, setName] = useState(start.name);
  const [audience, setAudience] = useState({
    kind: start.kind,
    ceremonyId: start.ceremonyId,
    roleId: start.roleId,
    status: start.status,
  });
  const [texts, setTexts] = useState<Texts>(start.texts);
  const [tab, setTab] = useState<Language>(LANGUAGES.find((code) => start.texts[code].subject) ?? language);
  const [saved, setSaved] = useState(false);
  const save = useSaveDraft(mailing?.id);
  const editions = useEditions();
  const roles = useVolunteerRoles(audience.kind === 'volunteers' ? audience.ceremonyId || undefined : undefined);
  const currentAudience = audienceOf(audience);
  const count = useAudienceCount(currentAudience);
  const problem = problemOf(save.error, t.failed);
  const countProblem = problemOf(count.error, t.failed);
  const fieldError = (field: string) =>
    problem?.fields[field] ?? (AUDIENCE_FIELDS.includes(field) ? countProblem?.fields[field] : undefined);

  function setText(code: Language, field: Field, value: string) {
    setSaved(false);
    setTexts((before) => ({ ...before, [code]: { ...before[code], [field]: value } }));
  }

  function setAudienceField(changes: Partial<typeof audience>) {
    setSaved(false);
    setAudience((before) => ({ ...before, ...changes }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    save.mutate(
      { name, audience: currentAudience, content: contentOf(texts) },
      {
        onSuccess: (result) => {
          setSaved(true);
          if (!mailing) navigate(`/mailings/${result.id}`);
        },
        onError: (error) => {
          // The first language with a refused field opens, so its message is seen.
          const refused = problemOf(error, t.failed);
          const first = LANGUAGES.find((code) => FIELDS.some((field) => refused?.fields[`content.${code}.${field}`]));
          if (first) setTab(first);
        },
      },
    );
  }

  const hasError = (code: Language) => FIELDS.some((field) => problem?.fields[`content.${code}.${field}`]);
  const needsEdition = audience.kind === 'visitors' || audience.kind === 'volunteers';

  return (
    <form className="composer" onSubmit={submit} noValidate>
      <TextField
        label={m.name}
        name="name"
        value={name}
        onChange={(event) => (setSaved(false), setName(event.target.value))}
        error={fieldError('name')}
        required
        maxLength={200}
      />

      <fieldset>
        <legend>{m.audience}</legend>
        <SelectField
          label={m.kind}
          value={audience.kind}
          error={fieldError('audience.kind')}
          onChange={(event) => {
            const kind = event.target.value as Kind;
            const ceremonyId =
              audience.ceremonyId ||
              ((kind === 'visitors' || kind === 'volunteers') && editions.data?.items[0]?.id) ||
              '';
            setAudienceField({ kind, ceremonyId, roleId: '', status: '' });
          }}
        >
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {m[`kind_${kind}`]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={m.edition}
          value={audience.ceremonyId}
          hint={m.editionHint}
          error={fieldError('audience.ceremonyId')}
          onChange={(event) => setAudienceField({ ceremonyId: event.target.value, roleId: '' })}
        >
          {!needsEdition && <option value="">{m.anyEdition}</option>}
          {needsEdition && !audience.ceremonyId && <option value="">—</option>}
          {(editions.data?.items ?? []).map((edition) => (
            <option key={edition.id} value={edition.id}>
              {edition.year} · {edition.title}
            </option>
          ))}
        </SelectField>
        {audience.kind === 'volunteers' && (
          <SelectField
            label={m.role}
            value={audience.roleId}
            error={fieldError('audience.filters.roleId')}
            onChange={(event) => setAudienceField({ roleId: event.target.value })}
          >
            <option value="">{m.anyRole}</option>
            {(roles.data ?? []).map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </SelectField>
        )}
        {audience.kind === 'visitors' && (
          <SelectField
            label={m.bookingStatus}
            value={audience.status}
            error={fieldError('audience.filters.status')}
            onChange={(event) => setAudienceField({ status: event.target.value })}
          >
            <option value="">{m.anyStatus}</option>
            <option value="confirmed">{m.status_confirmed}</option>
            <option value="waitlisted">{m.status_waitlisted}</option>
          </SelectField>
        )}
        <RecipientCount
          count={count.data}
          pending={count.isFetching}
          problem={countProblem}
          texts={m}
          language={language}
        />
      </fieldset>

      <fieldset>
        <legend>{m.content}</legend>
        <LanguageTabs<Language>
          label={m.languages}
          idPrefix="content"
          tabs={LANGUAGES.map((code: Language) => ({
            key: code as Language,
            label: (
              <>
                <span lang={code}>{CATALOGS[code].languageName}</span>
                {hasError(code) && <span className="tab-error"> ({m.hasError})</span>}
              </>
            ),
          }))}
          active={tab}
          onSelect={setTab}
          panel={(code) => (
            <div className="language-panel">
              {!texts[code].subject && !texts[code].text && <p className="hint">{m.unused}</p>}
              <TextField
                label={m.subject}
                value={texts[code].subject}
                lang={code}
                error={problem?.fields[`content.${code}.subject`]}
                onChange={(event) => setText(code, 'subject', event.target.value)}
                maxLength={300}
              />
              <TextAreaField
                label={m.text}
                value={texts[code].text}
                lang={code}
                rows={8}
                error={problem?.fields[`content.${code}.text`]}
                onChange={(event) => setText(code, 'text', event.target.value)}
              />
              <TextAreaField
                label={m.html}
                value={texts[code].html}
                lang={code}
                rows={8}
                className="code"
                error={problem?.fields[`content.${code}.html`]}
                onChange={(event) => setText(code, 'html', event.target.value)}
              />
            </div>
          )}
        />
        <Variables texts={m} />
      </fieldset>

      <FormProblems problem={problem} />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {m.saveDraft}
        </button>
      </div>
      <Notice>{saved && !save.isPending ? m.draftSaved : null}</Notice>
    </form>
  );
}

function RecipientCount({
  count,
  pending,
  problem,
  texts,
  language,
}: {
  count?: number;
  pending: boolean;
  problem: ApiProblem | null;
  texts: MailingTexts;
  language: Language;
}) {
  return (
    <div className="recipient-count" aria-live="polite" aria-busy={pending}>
      {problem && problem.general.length > 0 ? (
        <p className="error">{problem.general.join(' ')}</p>
      ) : count === undefined ? (
        <p>{texts.counting}</p>
      ) : (
        <p>
          <strong>{texts.recipients(formatCount(count, language), count)}</strong>
        </p>
      )}
      <p className="hint">{texts.recipientsHint}</p>
    </div>
  );
}

/** The variables as the server defines them; the description in the console's language where it has one. */
function Variables({ texts }: { texts: MailingTexts }) {
  const variables = useTemplateVariables();
  return (
    <section className="variables" aria-labelledby="variables-title">
      <h3 id="variables-title">{texts.variables}</h3>
      <p className="hint">{texts.variablesHint}</p>
      <dl>
        {(variables.data?.items ?? []).map((variable) => (
          <div key={variable.name}>
            <dt>
              <code>{`{{${variable.name}}}`}</code>
            </dt>
            <dd>
              {(texts as unknown as Record<string, string | undefined>)[`variable_${variable.name}`] ??
                variable.description}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
