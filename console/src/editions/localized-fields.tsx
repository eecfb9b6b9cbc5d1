import { useId } from 'react';
import { LANGUAGES, type Language } from '../i18n/catalogs';
import { useTexts } from '../i18n/texts';
import { TextAreaField, TextField, type ApiProblem } from '../ui/forms';
import { EDITIONS_TEXTS } from './texts';

/** A text the public reads, one entry per language; empty entries are not sent. */
export type LocalizedValue = Record<Language, string>;

export const EMPTY_TEXT: LocalizedValue = { az: '', en: '', ru: '' };

/** The staff read's map of a field (`translations['venue.name']`), as the three inputs show it. */
export function fromTranslations(
  translations: Record<string, { az?: string; en?: string; ru?: string }> | undefined,
  field: string,
): LocalizedValue {
  const map = translations?.[field] ?? {};
  return { az: map.az ?? '', en: map.en ?? '', ru: map.ru ?? '' };
}

/** The per-language map the API takes; languages left empty are left out (the API falls back along the edition's languages). */
export function toLocalizedMap(value: LocalizedValue): { az?: string; en?: string; ru?: string } {
  return Object.fromEntries(
    LANGUAGES.filter((language) => value[language].trim() !== '').map((language) => [language, value[language]]),
  );
}

/** The JSON paths a localized field's errors come under: the field itself and each language. */
export function localizedPaths(field: string): string[] {
  return [field, ...LANGUAGES.map((language) => `${field}.${language}`)];
}

/**
 * One text in az, en and ru side by side, each input labelled with its language ("Title (Azerbaijani)")
 * and carrying its own error (`title.ru`); an error about the whole field (`title`) is shown under the group.
 */
export function LocalizedFields(props: {
  field: string;
  label: string;
  value: LocalizedValue;
  onChange(value: LocalizedValue): void;
  problem: ApiProblem | null;
  multiline?: boolean;
}) {
  const texts = useTexts(EDITIONS_TEXTS);
  const errorId = `${useId()}-error`;
  const groupError = props.problem?.fields[props.field];
  return (
    <fieldset className="localized" aria-describedby={groupError ? errorId : undefined}>
      <legend>{props.label}</legend>
      <div className="languages">
        {LANGUAGES.map((language) => {
          const common = {
            label: `${props.label} (${texts[`lang_${language}`]})`,
            lang: language,
            value: props.value[language],
            error: props.problem?.fields[`${props.field}.${language}`],
          };
          return props.multiline ? (
            <TextAreaField
              key={language}
              {...common}
              onChange={(event) => props.onChange({ ...props.value, [language]: event.target.value })}
            />
          ) : (
            <TextField
              key={language}
              {...common}
              onChange={(event) => props.onChange({ ...props.value, [language]: event.target.value })}
            />
          );
        })}
      </div>
      {groupError && (
        <span id={errorId} className="field-error">
          {groupError}
        </span>
      )}
    </fieldset>
  );
}
