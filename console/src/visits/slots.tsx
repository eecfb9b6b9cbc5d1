import { useState, type FormEvent } from 'react';
import type { Catalog } from '../i18n/catalogs';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import type { Edition } from '../ui/edition';
import { ConfirmDialog, FormProblems, Notice, readProblem, TextField, type ApiProblem } from '../ui/forms';
import { visitsTexts } from './texts';
import {
  ApiRefusal,
  useDeleteSlot,
  useGenerateSlots,
  usePreviewSlots,
  useSlots,
  useUpdateCapacity,
  type SeriesPlan,
  type SlotPlan,
  type SlotRow,
} from './use-visits';
import { slotLabel, VisitsFrame } from './visits-frame';

type Texts = (typeof visitsTexts)['en'];

function problemOf(error: unknown, fields: readonly string[], t: Catalog): ApiProblem {
  return error instanceof ApiRefusal
    ? readProblem(error.status, error.body, fields, t.failed)
    : { fields: {}, general: [t.failed], status: 0, codes: [] };
}

/** /visits: the edition's time slots with their figures, inline capacity, deletion of empty slots, and generation with a preview. */
export function VisitSlotsView() {
  return <VisitsFrame>{(edition) => <SlotsPanel key={edition.id} edition={edition} />}</VisitsFrame>;
}

function SlotsPanel({ edition }: { edition: Edition }) {
  const t = useCatalog();
  const texts = useTexts(visitsTexts);
  const slots = useSlots(edition.id);
  const remove = useDeleteSlot();
  const [notice, setNotice] = useState('');
  const [deleting, setDeleting] = useState<SlotRow | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function confirmDelete() {
    if (!deleting) return;
    const label = slotLabel(deleting, edition.timeZone, t);
    setProblem(null);
    setNotice('');
    try {
      await remove.mutateAsync(deleting.id);
      setNotice(texts.slotDeleted(label));
    } catch (error) {
      // Someone booked it meanwhile: the API's reason (it has bookings) is shown.
      setProblem(problemOf(error, [], t));
    }
    setDeleting(null);
  }

  return (
    <>
      <Notice>{notice}</Notice>
      <FormProblems problem={problem} />
      <h2 id="slots-title">{texts.slotsTitle}</h2>
      {slots.isPending && <p>{t.loading}</p>}
      {slots.isError && <p role="alert">{t.failed}</p>}
      {slots.data && slots.data.length === 0 && <p>{texts.noSlots}</p>}
      {slots.data && slots.data.length > 0 && (
        <div className="table-scroll">
          <table aria-labelledby="slots-title">
            <thead>
              <tr>
                <th scope="col">{texts.slot}</th>
                <th scope="col">{texts.capacity}</th>
                <th scope="col">{texts.booked}</th>
                <th scope="col">{texts.remaining}</th>
                <th scope="col">{texts.waitlisted}</th>
                <th scope="col">{texts.checkedIn}</th>
                <th scope="col">{texts.actions}</th>
              </tr>
            </thead>
            <tbody>
              {slots.data.map((slot) => (
                <SlotLine
                  key={slot.id}
                  slot={slot}
                  label={slotLabel(slot, edition.timeZone, t)}
                  onDone={setNotice}
                  onDelete={() => setDeleting(slot)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={texts.deleteTitle}
        confirmLabel={t.remove}
        cancelLabel={t.cancel}
        busy={remove.isPending}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        {deleting && <p>{texts.deleteBody(slotLabel(deleting, edition.timeZone, t))}</p>}
      </ConfirmDialog>
      <GenerateSlots edition={edition} onDone={setNotice} />
    </>
  );
}

function SlotLine({
  slot,
  label,
  onDone,
  onDelete,
}: {
  slot: SlotRow;
  label: string;
  onDone(message: string): void;
  onDelete(): void;
}) {
  const t = useCatalog();
  const texts = useTexts(visitsTexts);
  const update = useUpdateCapacity();
  const [editing, setEditing] = useState(false);
  const [capacity, setCapacity] = useState(String(slot.capacity));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const bookings = slot.confirmedBookings + slot.waitlistedBookings;

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      const saved = await update.mutateAsync({ slotId: slot.id, capacity: Number(capacity) });
      setEditing(false);
      onDone(texts.capacitySaved(label, saved.capacity));
    } catch (error) {
      setProblem(problemOf(error, ['capacity'], t));
    }
  }

  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        {editing ? (
          <form className="inline-edit" onSubmit={(event) => void save(event)}>
            <TextField
              label={texts.capacityOf(label)}
              type="number"
              min={1}
              required
              value={capacity}
              onChange={(event) => setCapacity(event.target.value)}
              error={problem?.fields.capacity}
              autoFocus
            />
            <div className="actions">
              <button type="submit" disabled={update.isPending}>
                {t.save}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setEditing(false);
                  setProblem(null);
                  setCapacity(String(slot.capacity));
                }}
              >
                {t.cancel}
              </button>
            </div>
          </form>
        ) : (
          slot.capacity
        )}
      </td>
      <td>{slot.booked}</td>
      <td>{slot.remaining}</td>
      <td>{slot.waitlisted}</td>
      <td>{slot.checkedIn}</td>
      <td>
        <div className="row-actions">
          {!editing && (
            <button
              type="button"
              className="secondary"
              aria-label={texts.editCapacity(label)}
              onClick={() => (setEditing(true), setProblem(null), setCapacity(String(slot.capacity)))}
            >
              {texts.editButton}
            </button>
          )}
          {bookings === 0 ? (
            <button type="button" className="danger" aria-label={texts.deleteSlot(label)} onClick={onDelete}>
              {texts.deleteButton}
            </button>
          ) : (
            <span className="muted">{texts.hasBookings(bookings)}</span>
          )}
        </div>
        <FormProblems problem={problem} />
      </td>
    </tr>
  );
}

const EMPTY_PLAN = { from: '09:00', to: '17:00', everyMinutes: '30', durationMinutes: '30', capacity: '50' };
// 24-hour HH:mm typed as text: a time input would show the browser's locale (AM/PM), not the edition's clock.
const CLOCK_INPUT = {
  type: 'text',
  inputMode: 'numeric',
  required: true,
  pattern: '([01][0-9]|2[0-3]):[0-5][0-9]',
  placeholder: 'HH:mm',
  maxLength: 5,
  autoComplete: 'off',
} as const;
const PLAN_FIELDS = ['from', 'to', 'everyMinutes', 'durationMinutes', 'capacity'] as const;

/** Generation asks the server what it would create, shows it, and creates exactly that plan on request. */
function GenerateSlots({ edition, onDone }: { edition: Edition; onDone(message: string): void }) {
  const t = useCatalog();
  const texts = useTexts(visitsTexts);
  const preview = usePreviewSlots(edition.id);
  const generate = useGenerateSlots(edition.id);
  const [form, setForm] = useState(EMPTY_PLAN);
  const [planned, setPlanned] = useState<{ plan: SeriesPlan; result: SlotPlan } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const plan = (): SeriesPlan => ({
    from: form.from,
    to: form.to,
    everyMinutes: Number(form.everyMinutes),
    durationMinutes: Number(form.durationMinutes),
    capacity: Number(form.capacity),
  });
  const change = (field: keyof typeof EMPTY_PLAN) => (event: { target: { value: string } }) => {
    setForm({ ...form, [field]: event.target.value });
    // A preview stands only for the plan it was made from.
    setPlanned(null);
  };

  async function showPreview(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const asked = plan();
    try {
      setPlanned({ plan: asked, result: await preview.mutateAsync(asked) });
    } catch (error) {
      setPlanned(null);
      setProblem(problemOf(error, PLAN_FIELDS, t));
    }
  }

  async function create() {
    if (!planned) return;
    setProblem(null);
    try {
      const count = await generate.mutateAsync(planned.plan);
      setPlanned(null);
      onDone(texts.created(count));
    } catch (error) {
      setProblem(problemOf(error, PLAN_FIELDS, t));
    }
  }

  return (
    <section aria-labelledby="generate-title" className="generate">
      <h2 id="generate-title">{texts.generateTitle}</h2>
      <form className="generate-form" onSubmit={(event) => void showPreview(event)}>
        <TextField
          label={texts.from}
          {...CLOCK_INPUT}
          value={form.from}
          onChange={change('from')}
          error={problem?.fields.from}
          hint={`${texts.generateHint} (${edition.timeZone})`}
        />
        <TextField
          label={texts.to}
          {...CLOCK_INPUT}
          value={form.to}
          onChange={change('to')}
          error={problem?.fields.to}
        />
        <TextField
          label={texts.every}
          type="number"
          min={5}
          max={1440}
          required
          value={form.everyMinutes}
          onChange={change('everyMinutes')}
          error={problem?.fields.everyMinutes}
        />
        <TextField
          label={texts.duration}
          type="number"
          min={5}
          max={1440}
          required
          value={form.durationMinutes}
          onChange={change('durationMinutes')}
          error={problem?.fields.durationMinutes}
        />
        <TextField
          label={texts.capacityPerSlot}
          type="number"
          min={1}
          required
          value={form.capacity}
          onChange={change('capacity')}
          error={problem?.fields.capacity}
        />
        <FormProblems problem={problem} />
        <div className="actions">
          <button type="submit" disabled={preview.isPending}>
            {texts.preview}
          </button>
        </div>
      </form>
      {planned && (
        <PlanPreview
          planned={planned.result}
          timeZone={edition.timeZone}
          texts={texts}
          busy={generate.isPending}
          onCreate={() => void create()}
        />
      )}
    </section>
  );
}

function PlanPreview({
  planned,
  timeZone,
  texts,
  busy,
  onCreate,
}: {
  planned: SlotPlan;
  timeZone: string;
  texts: Texts;
  busy: boolean;
  onCreate(): void;
}) {
  const t = useCatalog();
  return (
    <section aria-labelledby="preview-title" className="preview">
      <h3 id="preview-title">{texts.previewTitle}</h3>
      <p role="status">{texts.previewSummary(planned.create, planned.skip)}</p>
      <div className="table-scroll">
        <table aria-labelledby="preview-title">
          <thead>
            <tr>
              <th scope="col">{texts.slot}</th>
              <th scope="col">{texts.capacity}</th>
              <th scope="col">{texts.note}</th>
            </tr>
          </thead>
          <tbody>
            {planned.slots.map((slot) => (
              <tr key={slot.startsAt} className={slot.exists ? 'skipped' : undefined}>
                <th scope="row">{slotLabel(slot, timeZone, t)}</th>
                <td>{slot.capacity}</td>
                <td>{slot.exists ? texts.exists : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {planned.create > 0 ? (
        <button type="button" onClick={onCreate} disabled={busy}>
          {texts.createSlots(planned.create)}
        </button>
      ) : (
        <p>{texts.nothingToCreate}</p>
      )}
    </section>
  );
}
