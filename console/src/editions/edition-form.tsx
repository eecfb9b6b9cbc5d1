import { useEffect, useState, type FormEvent } from 'react';
import { LANGUAGES, type Language } from '../i18n/catalogs';
import { formatDate } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { FormProblems, TextField, type ApiProblem } from '../ui/forms';
import {
  EMPTY_TEXT,
  fromTranslations,
  LocalizedFields,
  localizedPaths,
  toLocalizedMap,
  type LocalizedValue,
} from './localized-fields';
import { EDITIONS_TEXTS } from './texts';
import { useEditionDefaults, type CreateEditionBody, type EditionView } from './use-editions';

/** The fields of the edition form whose API errors are shown next to them. */
export const EDITION_FIELDS = [
  'year',
  'date',
  'startTime',
  'timeZone',
  'locales',
  'venue',
  ...localizedPaths('title'),
  ...localizedPaths('description'),
  ...localizedPaths('venue.name'),
  ...localizedPaths('venue.address'),
];

export interface EditionValues {
  year: string;
  date: string;
  startTime: string;
  timeZone: string;
  locales: Language[];
  title: LocalizedValue;
  description: LocalizedValue;
  venueName: LocalizedValue;
  venueAddress: LocalizedValue;
  venueLat: number | null;
  venueLng: number | null;
}

export function valuesOfDefaults(defaults: {
  year: number;
  date: string;
  timeZone: string;
  locales: Language[];
}): EditionValues {
  return {
    year: String(defaults.year),
    date: defaults.date,
    startTime: '',
    timeZone: defaults.timeZone,
    locales: defaults.locales,
    title: EMPTY_TEXT,
    description: EMPTY_TEXT,
    venueName: EMPTY_TEXT,
    venueAddress: EMPTY_TEXT,
    venueLat: null,
    venueLng: null,
  };
}

export function valuesOfEdition(edition: EditionView): EditionValues {
  return {
    year: String(edition.year),
    date: edition.date,
    startTime: edition.startTime,
    timeZone: edition.timeZone,
    locales: edition.locales,
    title: fromTranslations(edition.translations, 'title'),
    description: fromTranslations(edition.translations, 'description'),
    venueName: fromTranslations(edition.translations, 'venue.name'),
    venueAddress: fromTranslations(edition.translations, 'venue.address'),
    venueLat: edition.venue.lat,
    venueLng: edition.venue.lng,
  };
}

/** What the API takes: every text as its per-language map; an emptied description is cleared. */
export function bodyOf(values: EditionValues, mode: 'create' | 'edit'): CreateEditionBody {
  const description = toLocalizedMap(values.description);
  const hasDescription = Object.keys(description).length > 0;
  return {
    year: Number(values.year),
    title: toLocalizedMap(values.title),
    date: values.date,
    startTime: values.startTime,
    timeZone: values.timeZone,
    locales: values.locales,
    venue: {
      name: toLocalizedMap(values.venueName),
      address: toLocalizedMap(values.venueAddress),
      lat: values.venueLat,
      lng: values.venueLng,
    },
    ...(hasDescription ? { description } : mode === 'edit' ? { description: null } : {}),
  };
}

/** The date as people read it, in the console's language (the input itself takes YYYY-MM-DD, never the browser's locale format). */
function DateHint({ date, create }: { date: string; create: boolean }) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const readable = /^\d{4}-(0[1-9]|1[0-2])-\d{2}$/.test(date) ? formatDate(date, t) : null;
  return (
    <>
      {readable}
      {readable && create ? ' · ' : null}
      {create ? texts.dateHint : null}
    </>
  );
}

/** The one form of an edition, for creating it (the date follows the year until changed) and for editing it. */
export function EditionForm(props: {
  mode: 'create' | 'edit';
  labelledBy: string;
  initial: EditionValues;
  submitLabel: string;
  busy: boolean;
  problem: ApiProblem | null;
  onSubmit(values: EditionValues): void;
}) {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const [values, setValues] = useState(props.initial);
  const [dateTouched, setDateTouched] = useState(props.mode === 'edit');
  const set = <K extends keyof EditionValues>(key: K, value: EditionValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const error = (field: string) => props.problem?.fields[field];

  // On create, the date is the configured commemoration date of the year typed, until someone sets another.
  const year = /^\d{4}$/.test(values.year) ? Number(values.year) : undefined;
  const defaults = useEditionDefaults(year, props.mode === 'create' && !dateTouched && year !== undefined);
  const proposedDate = defaults.data?.year === year ? defaults.data?.date : undefined;
  useEffect(() => {
    if (proposedDate && !dateTouched) setValues((current) => ({ ...current, date: proposedDate }));
  }, [proposedDate, dateTouched]);

  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSubmit(values);
  }

  function toggleLocale(language: Language, on: boolean) {
    set(
      'locales',
      LANGUAGES.filter((code) => (code === language ? on : values.locales.includes(code))),
    );
  }

  return (
    <form className="edition-form" onSubmit={submit} noValidate aria-labelledby={props.labelledBy}>
      <fieldset>
        <legend>{texts.details}</legend>
        <div className="edition-grid">
          <TextField
            label={texts.year}
            name="year"
            inputMode="numeric"
            required
            value={values.year}
            error={error('year')}
            onChange={(event) => set('year', event.target.value)}
          />
          <TextField
            label={texts.date}
            name="date"
            inputMode="numeric"
            placeholder="YYYY-MM-DD"
            required
            value={values.date}
            error={error('date')}
            hint={<DateHint date={values.date} create={props.mode === 'create'} />}
            onChange={(event) => {
              setDateTouched(true);
              set('date', event.target.value);
            }}
          />
          <TextField
            label={texts.startTime}
            name="startTime"
            inputMode="numeric"
            placeholder="HH:mm"
            hint={texts.timeHint}
            required
            value={values.startTime}
            error={error('startTime')}
            onChange={(event) => set('startTime', event.target.value)}
          />
          <TextField
            label={texts.timeZone}
            name="timeZone"
            required
            value={values.timeZone}
            error={error('timeZone')}
            hint={texts.timeZoneHint}
            onChange={(event) => set('timeZone', event.target.value)}
          />
        </div>
        <fieldset className="locales" aria-describedby={error('locales') ? 'edition-locales-error' : undefined}>
          <legend>{texts.locales}</legend>
          {LANGUAGES.map((language) => (
            <label key={language} className="check">
              <input
                type="checkbox"
                checked={values.locales.includes(language)}
                onChange={(event) => toggleLocale(language, event.target.checked)}
              />
              {texts[`lang_${language}`]}
            </label>
          ))}
          {error('locales') && (
            <span id="edition-locales-error" className="field-error">
              {error('locales')}
            </span>
          )}
        </fieldset>
      </fieldset>

      <fieldset>
        <legend>{texts.texts}</legend>
        <p className="hint">{texts.textsHint}</p>
        <LocalizedFields
          field="title"
          label={texts.title}
          value={values.title}
          onChange={(value) => set('title', value)}
          problem={props.problem}
        />
        <LocalizedFields
          field="venue.name"
          label={texts.venueName}
          value={values.venueName}
          onChange={(value) => set('venueName', value)}
          problem={props.problem}
        />
        <LocalizedFields
          field="venue.address"
          label={texts.venueAddress}
          value={values.venueAddress}
          onChange={(value) => set('venueAddress', value)}
          problem={props.problem}
        />
        <LocalizedFields
          field="description"
          label={texts.description}
          value={values.description}
          onChange={(value) => set('description', value)}
          problem={props.problem}
          multiline
        />
        {error('venue') && <p className="field-error">{error('venue')}</p>}
      </fieldset>

      <FormProblems problem={props.problem} />
      <div className="actions">
        <button type="submit" disabled={props.busy}>
          {props.busy ? t.loading : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
