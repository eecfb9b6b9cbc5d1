import { useEffect, useId, useState } from 'react';
import type { components } from '../api/schema';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link } from '../shell/router';
import { useEditions, useSelectedEdition } from '../ui/edition';
import { FormProblems, Notice, readProblem, SelectField, TextField, type ApiProblem } from '../ui/forms';
import { remindersTexts } from './texts';
import {
  Refusal,
  useReminderRules,
  useReminderRuns,
  useReminderTemplateKeys,
  useSaveReminderRules,
  type ReminderRule,
  type ReminderRuleInput,
} from './use-reminders';
import './reminders.css';

type Audience = ReminderRuleInput['audience'];
const AUDIENCES: Audience[] = ['all', 'subscribers', 'volunteers', 'visitors'];
const FIELDS = ['name', 'offsetDays', 'sendTime', 'audience', 'templateKey', 'enabled'] as const;

/** One rule as typed: numbers stay text until saved, so the API judges them and names the field. */
interface Draft {
  key: string;
  id?: string;
  name: string;
  offsetDays: string;
  sendTime: string;
  audience: Audience;
  templateKey: string;
  enabled: boolean;
}

let drafted = 0;
const draftOf = (rule: ReminderRule): Draft => ({
  key: rule.id,
  id: rule.id,
  name: rule.name,
  offsetDays: String(rule.offsetDays),
  sendTime: rule.sendTime,
  audience: rule.audience,
  templateKey: rule.templateKey,
  enabled: rule.enabled,
});

function inputOf(draft: Draft): ReminderRuleInput {
  const days = draft.offsetDays.trim();
  return {
    ...(draft.id ? { id: draft.id } : {}),
    name: draft.name,
    // An empty or non-numeric entry goes as it is: the API refuses it with the field named.
    offsetDays: (days === '' ? null : /^-?\d+$/.test(days) ? Number(days) : days) as number,
    sendTime: draft.sendTime.trim(),
    audience: draft.audience,
    templateKey: draft.templateKey,
    enabled: draft.enabled,
  };
}

/** Admins edit the anniversary reminder rules and see when each is sent next, and what each year's runs did. */
export function Reminders() {
  const text = useTexts(remindersTexts);
  return (
    <>
      <h1>{text.title}</h1>
      <RulesEditor />
      <RunsByYear />
    </>
  );
}

function RulesEditor() {
  const t = useCatalog();
  const text = useTexts(remindersTexts);
  const rules = useReminderRules();
  const templates = useReminderTemplateKeys();
  const save = useSaveReminderRules();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saved, setSaved] = useState(false);

  // The form starts from the stored rules, and again after each save (the API's answer).
  useEffect(() => {
    if (rules.data) setDrafts(rules.data.map(draftOf));
  }, [rules.data]);

  if (rules.isPending || templates.isPending) return <p>{t.loading}</p>;
  if (rules.isError || templates.isError || !drafts) return <p role="alert">{t.failed}</p>;
  const nextDue = new Map((rules.data ?? []).map((rule) => [rule.id, rule]));

  function change(index: number, patch: Partial<Draft>) {
    setSaved(false);
    setDrafts((current) => (current ?? []).map((draft, at) => (at === index ? { ...draft, ...patch } : draft)));
  }

  function add() {
    setSaved(false);
    drafted += 1;
    setDrafts((current) => [
      ...(current ?? []),
      {
        key: `new-${drafted}`,
        name: text.newRule,
        offsetDays: '14',
        sendTime: '10:00',
        audience: 'all',
        templateKey: templates.data?.[0] ?? '',
        enabled: true,
      },
    ]);
  }

  function remove(index: number) {
    setSaved(false);
    setProblem(null);
    setDrafts((current) => (current ?? []).filter((_, at) => at !== index));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setProblem(null);
    setSaved(false);
    const known = (drafts ?? []).flatMap((_, index) => FIELDS.map((field) => `rules[${index}].${field}`));
    save.mutate((drafts ?? []).map(inputOf), {
      onSuccess: () => setSaved(true),
      onError: (error) =>
        setProblem(
          error instanceof Refusal
            ? readProblem(error.status, error.body, known, t.failed)
            : readProblem(0, null, [], t.failed),
        ),
    });
  }

  const fieldError = (index: number, field: (typeof FIELDS)[number]) => problem?.fields[`rules[${index}].${field}`];

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{text.rulesTitle}</h2>
      <p className="muted">{text.rulesIntro}</p>
      <form className="reminder-rules" onSubmit={submit} noValidate>
        {drafts.map((draft, index) => (
          <RuleFields
            key={draft.key}
            index={index}
            draft={draft}
            stored={draft.id ? nextDue.get(draft.id) : undefined}
            templates={templates.data ?? []}
            error={(field) => fieldError(index, field)}
            onChange={(patch) => change(index, patch)}
            onRemove={() => remove(index)}
          />
        ))}
        <FormProblems problem={problem} />
        <Notice>{saved ? t.saved : null}</Notice>
        <div className="actions">
          <button type="button" className="secondary" onClick={add}>
            {text.addRule}
          </button>
          <button type="submit" disabled={save.isPending}>
            {text.saveRules}
          </button>
        </div>
      </form>
    </section>
  );
}

function RuleFields(props: {
  index: number;
  draft: Draft;
  stored: ReminderRule | undefined;
  templates: string[];
  error(field: (typeof FIELDS)[number]): string | undefined;
  onChange(patch: Partial<Draft>): void;
  onRemove(): void;
}) {
  const t = useCatalog();
  const text = useTexts(remindersTexts);
  const enabledId = useId();
  const { draft, stored } = props;
  const legend = draft.name.trim() || text.rule(props.index + 1);
  // The next due instant is the saved rule's: it changes only once the change is saved.
  let next: string = text.notScheduled;
  if (stored && !stored.enabled) next = text.disabled;
  else if (stored?.nextDueAt && stored.nextDueTimeZone)
    next = `${formatInstant(stored.nextDueAt, stored.nextDueTimeZone, t)}, ${text.ofYear(stored.nextDueYear ?? 0)}`;
  const templateKeys =
    props.templates.includes(draft.templateKey) || !draft.templateKey
      ? props.templates
      : [draft.templateKey, ...props.templates];
  return (
    <fieldset className="reminder-rule">
      <legend>{legend}</legend>
      {stored && (
        <p className="next-due">
          <strong>{text.nextDue}:</strong> {next}
        </p>
      )}
      <TextField
        label={text.name}
        value={draft.name}
        error={props.error('name')}
        onChange={(event) => props.onChange({ name: event.target.value })}
      />
      <TextField
        label={text.offsetDays}
        inputMode="numeric"
        value={draft.offsetDays}
        error={props.error('offsetDays')}
        onChange={(event) => props.onChange({ offsetDays: event.target.value })}
      />
      <TextField
        label={text.sendTime}
        hint={text.sendTimeHint}
        inputMode="numeric"
        value={draft.sendTime}
        error={props.error('sendTime')}
        onChange={(event) => props.onChange({ sendTime: event.target.value })}
      />
      <SelectField
        label={text.audience}
        value={draft.audience}
        error={props.error('audience')}
        onChange={(event) => props.onChange({ audience: event.target.value as Audience })}
      >
        {AUDIENCES.map((audience) => (
          <option key={audience} value={audience}>
            {text.audienceNames[audience]}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={text.template}
        value={draft.templateKey}
        error={props.error('templateKey')}
        onChange={(event) => props.onChange({ templateKey: event.target.value })}
      >
        {templateKeys.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </SelectField>
      <div className="checkbox">
        <input
          id={enabledId}
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => props.onChange({ enabled: event.target.checked })}
        />
        <label htmlFor={enabledId}>{text.enabled}</label>
      </div>
      <div className="rule-actions">
        <button type="button" className="secondary" onClick={props.onRemove}>
          {text.removeRule(legend)}
        </button>
      </div>
    </fieldset>
  );
}

type Edition = components['schemas']['CeremonyView'];

function RunsByYear() {
  const t = useCatalog();
  const text = useTexts(remindersTexts);
  const editions = useEditions();
  const { edition } = useSelectedEdition();
  const [chosen, setChosen] = useState<number | undefined>();
  const yearId = useId();
  const years = [...new Set((editions.data?.items ?? []).map((item: Edition) => item.year))].sort((a, b) => b - a);
  const year = chosen ?? edition?.year ?? years[0];
  const runs = useReminderRuns(year);
  const zoneOf = (ceremonyId: string) =>
    editions.data?.items.find((item: Edition) => item.id === ceremonyId)?.timeZone ?? edition?.timeZone ?? 'Asia/Baku';

  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">{text.runsTitle}</h2>
      {editions.isPending && <p>{t.loading}</p>}
      {editions.data && years.length === 0 && <p>{text.noEditions}</p>}
      {year !== undefined && (
        <div className="runs-year">
          <label htmlFor={yearId}>{text.year}</label>
          <select id={yearId} value={year} onChange={(event) => setChosen(Number(event.target.value))}>
            {years.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
      )}
      {runs.isError && <p role="alert">{t.failed}</p>}
      {runs.data && runs.data.length === 0 && <p>{t.noRuns}</p>}
      {runs.data && runs.data.length > 0 && (
        <table aria-labelledby="runs-title">
          <thead>
            <tr>
              <th scope="col">{t.reminder}</th>
              <th scope="col">{text.dueAt}</th>
              <th scope="col">{t.state}</th>
              <th scope="col">{text.firedAt}</th>
              <th scope="col">{text.mailing}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={`${run.ruleId}/${run.ceremonyId}`}>
                <th scope="row">{run.ruleName}</th>
                <td>{formatInstant(run.dueAt, zoneOf(run.ceremonyId), t)}</td>
                <td>{t[`status_${run.status}`]}</td>
                <td>{run.firedAt ? formatInstant(run.firedAt, zoneOf(run.ceremonyId), t) : text.noMailing}</td>
                <td>
                  {run.mailingId ? (
                    <Link to={`/mailings/${run.mailingId}`}>
                      {text.openMailing(run.counts?.sent ?? 0, run.counts?.total ?? 0)}
                    </Link>
                  ) : (
                    text.noMailing
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
