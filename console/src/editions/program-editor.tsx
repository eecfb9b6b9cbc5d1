import { useState, type FormEvent } from 'react';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { ConfirmDialog, FormProblems, Notice, TextField, type ApiProblem } from '../ui/forms';
import {
  EMPTY_TEXT,
  fromTranslations,
  LocalizedFields,
  localizedPaths,
  toLocalizedMap,
  type LocalizedValue,
} from './localized-fields';
import { EDITIONS_TEXTS, fill } from './texts';
import {
  problemOf,
  useProgram,
  useRemoveProgramItem,
  useSaveProgramItem,
  type EditionView,
  type ProgramItem,
  type ProgramItemBody,
} from './use-editions';

const ITEM_FIELDS = [
  'startTime',
  'endTime',
  ...localizedPaths('title'),
  ...localizedPaths('speaker'),
  ...localizedPaths('description'),
];

interface ItemValues {
  startTime: string;
  endTime: string;
  title: LocalizedValue;
  speaker: LocalizedValue;
  description: LocalizedValue;
}

const NEW_ITEM: ItemValues = {
  startTime: '',
  endTime: '',
  title: EMPTY_TEXT,
  speaker: EMPTY_TEXT,
  description: EMPTY_TEXT,
};

function valuesOfItem(item: ProgramItem): ItemValues {
  return {
    startTime: item.startTime,
    endTime: item.endTime ?? '',
    title: fromTranslations(item.translations, 'title'),
    speaker: fromTranslations(item.translations, 'speaker'),
    description: fromTranslations(item.translations, 'description'),
  };
}

/** Optional texts left empty: left out of a new item, cleared on an edited one. */
function bodyOfItem(values: ItemValues, editing: boolean): ProgramItemBody {
  const optional = (value: LocalizedValue) => {
    const map = toLocalizedMap(value);
    return Object.keys(map).length > 0 ? map : editing ? null : undefined;
  };
  return {
    startTime: values.startTime,
    endTime: values.endTime !== '' ? values.endTime : editing ? null : undefined,
    title: toLocalizedMap(values.title),
    speaker: optional(values.speaker),
    description: optional(values.description),
  };
}

/** The program of an edition in the order the API keeps (time order), with one form to add or edit an item. */
export function ProgramEditor({ edition }: { edition: EditionView }) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const program = useProgram(edition.id);
  const save = useSaveProgramItem(edition.id);
  const remove = useRemoveProgramItem(edition.id);
  const [editing, setEditing] = useState<ProgramItem | null>(null);
  const [values, setValues] = useState<ItemValues>(NEW_ITEM);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState('');
  const [removing, setRemoving] = useState<ProgramItem | null>(null);
  const set = <K extends keyof ItemValues>(key: K, value: ItemValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  function startEditing(item: ProgramItem | null) {
    setEditing(item);
    setValues(item ? valuesOfItem(item) : NEW_ITEM);
    setProblem(null);
    setNotice('');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setNotice('');
    save.mutate(
      { itemId: editing?.id, body: bodyOfItem(values, editing !== null) },
      {
        onSuccess: () => {
          setNotice(editing ? texts.itemSaved : texts.itemAdded);
          setEditing(null);
          setValues(NEW_ITEM);
        },
        onError: (error) => setProblem(problemOf(error, ITEM_FIELDS, t.failed)),
      },
    );
  }

  function confirmRemove() {
    if (!removing) return;
    const item = removing;
    remove.mutate(item.id, {
      onSuccess: () => {
        setRemoving(null);
        setNotice(texts.itemRemoved);
        if (editing?.id === item.id) startEditing(null);
      },
      onError: (error) => {
        setRemoving(null);
        setProblem(problemOf(error, [], t.failed));
      },
    });
  }

  const items = program.data ?? [];
  return (
    <section aria-labelledby="program-title" className="program">
      <h2 id="program-title">{texts.program}</h2>
      <p className="hint">{fill(texts.programHint, { zone: edition.timeZone })}</p>
      {program.isPending ? (
        <p>{t.loading}</p>
      ) : program.isError ? (
        <p role="alert">{t.failed}</p>
      ) : items.length === 0 ? (
        <p>{texts.noProgram}</p>
      ) : (
        <table aria-labelledby="program-title">
          <thead>
            <tr>
              <th scope="col">{texts.time}</th>
              <th scope="col">{texts.title}</th>
              <th scope="col">{texts.speaker}</th>
              <th scope="col">{texts.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{item.endTime ? `${item.startTime}–${item.endTime}` : item.startTime}</td>
                <th scope="row">{item.title}</th>
                <td>{item.speaker ?? ''}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={fill(texts.editItemNamed, { title: item.title })}
                    onClick={() => startEditing(item)}
                  >
                    {t.edit}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    aria-label={fill(texts.removeItemNamed, { title: item.title })}
                    onClick={() => setRemoving(item)}
                  >
                    {t.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Notice>{notice}</Notice>

      <form className="edition-form" onSubmit={submit} noValidate aria-labelledby="program-item-title">
        <h3 id="program-item-title">{editing ? texts.editItem : texts.addItem}</h3>
        <div className="edition-grid">
          <TextField
            label={texts.itemStart}
            name="itemStart"
            inputMode="numeric"
            placeholder="HH:mm"
            hint={texts.timeHint}
            required
            value={values.startTime}
            error={problem?.fields.startTime}
            onChange={(event) => set('startTime', event.target.value)}
          />
          <TextField
            label={texts.itemEnd}
            name="itemEnd"
            inputMode="numeric"
            placeholder="HH:mm"
            value={values.endTime}
            error={problem?.fields.endTime}
            hint={texts.itemEndHint}
            onChange={(event) => set('endTime', event.target.value)}
          />
        </div>
        <LocalizedFields
          field="title"
          label={texts.title}
          value={values.title}
          onChange={(value) => set('title', value)}
          problem={problem}
        />
        <LocalizedFields
          field="speaker"
          label={texts.speaker}
          value={values.speaker}
          onChange={(value) => set('speaker', value)}
          problem={problem}
        />
        <LocalizedFields
          field="description"
          label={texts.description}
          value={values.description}
          onChange={(value) => set('description', value)}
          problem={problem}
          multiline
        />
        <FormProblems problem={problem} />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {editing ? texts.saveItem : texts.addItemButton}
          </button>
          {editing && (
            <button type="button" className="secondary" onClick={() => startEditing(null)}>
              {t.cancel}
            </button>
          )}
        </div>
      </form>

      <ConfirmDialog
        open={removing !== null}
        title={texts.removeItemTitle}
        confirmLabel={t.remove}
        cancelLabel={t.cancel}
        busy={remove.isPending}
        onConfirm={confirmRemove}
        onCancel={() => setRemoving(null)}
      >
        <p>{fill(texts.removeItemBody, { title: removing?.title ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
