import {
  useEffect,
  useId,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

/** What the API answers for a refused write: `errors[]` per field (messages already in the console's language). */
export interface ApiProblem {
  /** JSON path of the field (`venue.name`, `content.az.subject`) → its message. */
  fields: Record<string, string>;
  /** Messages that belong to no field of the form (a 409, a 403, a field the form does not show). */
  general: string[];
  status: number;
  codes: string[];
}

interface ErrorBody {
  message?: string | string[];
  errors?: Array<{ field?: string; code?: string; message?: string }>;
}

/** Reads a refused answer; `knownFields` are the fields the form shows (others go to `general`). */
export function readProblem(
  status: number,
  body: unknown,
  knownFields: readonly string[],
  fallback: string,
): ApiProblem {
  const problem: ApiProblem = { fields: {}, general: [], status, codes: [] };
  const error = (body ?? {}) as ErrorBody;
  for (const item of error.errors ?? []) {
    if (item.code) problem.codes.push(item.code);
    const message = item.message ?? fallback;
    if (item.field && knownFields.includes(item.field) && !problem.fields[item.field])
      problem.fields[item.field] = message;
    else problem.general.push(message);
  }
  if (!error.errors?.length) problem.general.push(...(error.message ? [error.message].flat() : [fallback]));
  return problem;
}

interface FieldFrame {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
}

function useFieldIds(error?: string, hint?: ReactNode) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return { id, describedBy };
}

function FieldNotes({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </>
  );
}

/** A labelled input whose API error is shown under it and announced with it. */
export function TextField({ label, error, hint, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const { id, describedBy } = useFieldIds(error, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      <FieldNotes id={id} error={error} hint={hint} />
    </div>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  ...area
}: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, describedBy } = useFieldIds(error, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...area} />
      <FieldNotes id={id} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  children,
  ...select
}: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, describedBy } = useFieldIds(error, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {children}
      </select>
      <FieldNotes id={id} error={error} hint={hint} />
    </div>
  );
}

/** The messages of a refused write that belong to no field, announced once. */
export function FormProblems({ problem }: { problem: ApiProblem | null }) {
  if (!problem || problem.general.length === 0) return null;
  // The alert wraps the list: a list with role="alert" is no longer a list to assistive technology.
  return (
    <div role="alert" className="error">
      <ul>
        {problem.general.map((text, index) => (
          <li key={`${index}-${text}`}>{text}</li>
        ))}
      </ul>
    </div>
  );
}

/** A short confirmation that the last action worked, announced to screen readers. */
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}

/**
 * A modal question before an action that cannot be taken back (publish, send, cancel a booking). The
 * native <dialog> keeps focus inside and closes on Escape.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={(event) => (event.preventDefault(), props.onCancel())}>
      <h2 id={titleId}>{props.title}</h2>
      <div>{props.children}</div>
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
        <button type="button" onClick={props.onConfirm} disabled={props.busy} autoFocus>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
