import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { navigate, useLocation } from '../shell/router';
import { EditionPicker, useSelectedEdition, type Edition } from '../ui/edition';
import { FormProblems, Notice, readProblem, SelectField, TextField, type ApiProblem } from '../ui/forms';
import { CameraScanner } from './camera-scanner';
import { CHECK_IN_TEXTS } from './texts';
import {
  currentSlot,
  useArrivals,
  useCheckIn,
  useDeskSearch,
  useDeskSlots,
  useLookUp,
  useNow,
  type DeskBooking,
  type DeskSlot,
} from './use-check-in';
import './check-in.css';

type Texts = (typeof CHECK_IN_TEXTS)['en'];

/** The gate's desk: scan or find a booking, see what it is, check it in with one tap. */
export function CheckInDesk() {
  const texts = useTexts(CHECK_IN_TEXTS);
  const t = useCatalog();
  const selection = useSelectedEdition();
  const { edition } = selection;
  return (
    <div className="desk">
      <h1>{texts.title}</h1>
      <EditionPicker {...selection} />
      {edition === undefined && <p>{t.loading}</p>}
      {edition === null && <p>{texts.noEdition}</p>}
      {edition && <Desk key={edition.id} edition={edition} texts={texts} />}
    </div>
  );
}

/** HH:MM of an instant in the zone (numeric parts only, as formatInstant does). */
function clockTime(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  return `${parts.find((part) => part.type === 'hour')?.value}:${parts.find((part) => part.type === 'minute')?.value}`;
}

function useSlotLabel(timeZone: string) {
  const t = useCatalog();
  // "26 February 2027, 10:00–10:30 (Asia/Baku)": the start as the one formatter writes it, the end's time added before the zone.
  return (slot: { startsAt: string; endsAt: string }) =>
    formatInstant(slot.startsAt, timeZone, t).replace(
      ` (${timeZone})`,
      `–${clockTime(slot.endsAt, timeZone)} (${timeZone})`,
    );
}

interface Shown {
  booking: DeskBooking;
  /** Arrived before it was shown here: the desk warns instead of offering the tap. */
  arrivedBefore: boolean;
}

function Desk({ edition, texts }: { edition: Edition; texts: Texts }) {
  const slots = useDeskSlots(edition.id);
  const now = useNow();
  const [slotChoice, setSlotChoice] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  /** What the last scan could not show: a code no booking has, or a failed request. */
  const [scanMessage, setScanMessage] = useState<'unknown' | 'failed' | null>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const lookUp = useLookUp();
  const checkIn = useCheckIn();
  const t = useCatalog();
  const slotLabel = useSlotLabel(edition.timeZone);

  const items = slots.data ?? [];
  const gateSlot = items.find((slot) => slot.id === slotChoice) ?? currentSlot(items, now);

  function show(booking: DeskBooking) {
    setShown({ booking, arrivedBefore: booking.checkedInAt !== null });
    setScanMessage(null);
    setNotice('');
    setProblem(null);
  }

  function scanned(code: string) {
    const missed = (message: 'unknown' | 'failed') => {
      setShown(null);
      setNotice('');
      setScanMessage(message);
    };
    lookUp.mutate(code, {
      onSuccess: (booking) => (booking ? show(booking) : missed('unknown')),
      onError: () => missed('failed'),
    });
  }

  // A link to the desk may carry a code (`/console/check-in?code=…`): show its booking, then drop it from the address.
  const { path, search } = useLocation();
  const linkedCode = search.get('code');
  useEffect(() => {
    if (!linkedCode) return;
    scanned(linkedCode);
    const rest = new URLSearchParams(search);
    rest.delete('code');
    navigate(rest.size ? `${path}?${rest.toString()}` : path, { replace: true });
  }, [linkedCode]);

  function tapCheckIn(booking: DeskBooking) {
    setProblem(null);
    checkIn.mutate(booking.id, {
      onSuccess: (outcome) => {
        if (!outcome.ok) {
          setProblem(readProblem(outcome.status, outcome.body, [], t.failed));
          return;
        }
        setShown({ booking: outcome.booking, arrivedBefore: false });
        setNotice(texts.checkedInNow(outcome.booking.name, texts.people(outcome.booking.partySize)));
      },
      onError: () => setProblem(readProblem(0, null, [], t.failed)),
    });
  }

  if (slots.isPending) return <p>{t.loading}</p>;
  if (items.length === 0) return <p>{texts.noSlots}</p>;

  return (
    <div className="desk-columns">
      <div>
        <ArrivalsCounter slot={gateSlot} chosen={slotChoice !== ''} label={slotLabel} texts={texts} />
        <Notice>{notice}</Notice>
        {scanMessage && (
          <p role="alert" className="desk-warning">
            {scanMessage === 'unknown' ? texts.unknownCode : t.failed}
          </p>
        )}
        {shown && (
          <BookingCard
            shown={shown}
            gateSlotId={gateSlot?.id}
            label={slotLabel}
            timeZone={edition.timeZone}
            texts={texts}
            busy={checkIn.isPending}
            problem={problem}
            onCheckIn={tapCheckIn}
            onDone={() => {
              setShown(null);
              setNotice('');
            }}
          />
        )}
      </div>
      <div>
        <CameraScanner
          labels={{
            scan: texts.scan,
            stop: texts.stopScan,
            scanning: texts.scanning,
            starting: texts.cameraStarting,
            denied: texts.cameraDenied,
            missing: texts.cameraMissing,
          }}
          onCode={scanned}
        />
        <DeskSearch editionId={edition.id} label={slotLabel} texts={texts} onPick={show} />
        <SelectField
          label={texts.slotChoice}
          value={slotChoice}
          onChange={(event) => setSlotChoice(event.target.value)}
        >
          <option value="">{texts.slotAutomatic}</option>
          {items.map((slot) => (
            <option key={slot.id} value={slot.id}>
              {slotLabel(slot)}
            </option>
          ))}
        </SelectField>
      </div>
    </div>
  );
}

function ArrivalsCounter({
  slot,
  chosen,
  label,
  texts,
}: {
  slot: DeskSlot | null;
  chosen: boolean;
  label: (slot: DeskSlot) => string;
  texts: Texts;
}) {
  const arrivals = useArrivals(slot?.id);
  if (!slot) return null;
  return (
    <section className="desk-counter" aria-labelledby="desk-counter-heading">
      <h2 id="desk-counter-heading">{chosen ? texts.slot : texts.currentSlot}</h2>
      <p>{label(slot)}</p>
      {arrivals.data && (
        <>
          <p className="desk-count">{texts.arrived(arrivals.data.arrivedPeople, arrivals.data.expectedPeople)}</p>
          <p className="muted">
            {texts.arrivedBookings(arrivals.data.arrivedBookings, arrivals.data.expectedBookings)}
          </p>
        </>
      )}
    </section>
  );
}

function BookingCard(props: {
  shown: Shown;
  gateSlotId: string | undefined;
  label: (slot: { startsAt: string; endsAt: string }) => string;
  timeZone: string;
  texts: Texts;
  busy: boolean;
  problem: ApiProblem | null;
  onCheckIn(booking: DeskBooking): void;
  onDone(): void;
}) {
  const { shown, texts } = props;
  const { booking } = shown;
  const t = useCatalog();
  const heading = useRef<HTMLHeadingElement>(null);
  // A new booking on the card takes the focus, so a screen reader reads it and the keyboard continues from it.
  useEffect(() => heading.current?.focus(), [booking.id]);
  const slot = props.label({ startsAt: booking.slotStartsAt, endsAt: booking.slotEndsAt });
  const arrivedAt = booking.checkedInAt ? formatInstant(booking.checkedInAt, props.timeZone, t) : null;
  const warnings: string[] = [];
  if (booking.status === 'cancelled') warnings.push(texts.warnCancelled);
  if (booking.status === 'waitlisted') warnings.push(texts.warnWaitlisted);
  if (arrivedAt && shown.arrivedBefore) warnings.push(texts.warnAlready(arrivedAt));
  if (booking.status !== 'cancelled' && props.gateSlotId && booking.slotId !== props.gateSlotId)
    warnings.push(texts.warnOtherSlot(slot));
  const canCheckIn = booking.status === 'confirmed' && !booking.checkedInAt;

  return (
    <section className={`desk-card${warnings.length ? ' desk-card-warn' : ''}`} aria-labelledby="desk-card-heading">
      <h2 id="desk-card-heading" ref={heading} tabIndex={-1}>
        {booking.name}
      </h2>
      {warnings.length > 0 && (
        <div role="alert" className="desk-warning">
          {warnings.map((warning) => (
            <p key={warning}>{warning}</p>
          ))}
        </div>
      )}
      <dl>
        <div>
          <dt>{texts.partySize}</dt>
          <dd>{texts.people(booking.partySize)}</dd>
        </div>
        <div>
          <dt>{texts.slot}</dt>
          <dd>{slot}</dd>
        </div>
        <div>
          <dt>{texts.status}</dt>
          <dd>{arrivedAt ? texts.checkedInAt(arrivedAt) : texts[`status_${booking.status}`]}</dd>
        </div>
        {booking.groupName && (
          <div>
            <dt>{texts.group}</dt>
            <dd>{booking.groupName}</dd>
          </div>
        )}
      </dl>
      <FormProblems problem={props.problem} />
      <div className="actions">
        {canCheckIn && (
          <button
            type="button"
            className="desk-big desk-go"
            disabled={props.busy}
            onClick={() => props.onCheckIn(booking)}
          >
            {texts.checkIn}
          </button>
        )}
        <button type="button" className="desk-big secondary" onClick={props.onDone}>
          {canCheckIn ? t.cancel : texts.done}
        </button>
      </div>
    </section>
  );
}

function DeskSearch({
  editionId,
  label,
  texts,
  onPick,
}: {
  editionId: string;
  label: (slot: { startsAt: string; endsAt: string }) => string;
  texts: Texts;
  onPick(booking: DeskBooking): void;
}) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const results = useDeskSearch(editionId, query);

  function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = text.trim();
    setTooShort(wanted.length < 2);
    if (wanted.length >= 2) setQuery(wanted);
  }

  return (
    <section className="desk-search" aria-labelledby="desk-search-heading">
      <h2 id="desk-search-heading">{texts.searchHeading}</h2>
      <form role="search" onSubmit={submit}>
        <TextField
          label={texts.searchLabel}
          type="search"
          name="q"
          value={text}
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
          error={tooShort ? texts.searchTooShort : undefined}
        />
        <button type="submit" className="desk-big">
          {texts.search}
        </button>
      </form>
      {results.data && results.data.items.length === 0 && <p role="status">{texts.noMatches}</p>}
      {results.data && results.data.items.length > 0 && (
        <ul className="desk-results">
          {results.data.items.map((booking) => (
            <li key={booking.id}>
              <button type="button" className="desk-big secondary" onClick={() => onPick(booking)}>
                <span className="desk-result-name">{booking.name}</span>
                <span>
                  {texts.people(booking.partySize)} ·{' '}
                  {label({ startsAt: booking.slotStartsAt, endsAt: booking.slotEndsAt })} · {booking.email}
                  {booking.status !== 'confirmed' && ` · ${texts[`status_${booking.status}`]}`}
                  {booking.status === 'confirmed' && booking.checkedInAt && ` · ${texts.arrivedMark}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
