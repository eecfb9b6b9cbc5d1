import { useState, type FormEvent } from 'react';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import type { Edition } from '../ui/edition';
import { ConfirmDialog, FormProblems, Notice, readProblem, SelectField, TextField, type ApiProblem } from '../ui/forms';
import { visitsTexts } from './texts';
import {
  ApiRefusal,
  BOOKINGS_PER_PAGE,
  bookingsCsvUrl,
  useBookings,
  useCancelBooking,
  useSlots,
  type Booking,
  type BookingFilters,
  type BookingStatus,
} from './use-visits';
import { slotLabel, VisitsFrame } from './visits-frame';

const STATUSES: BookingStatus[] = ['confirmed', 'waitlisted', 'cancelled'];
const NO_FILTERS: BookingFilters = { q: '', slotId: '', status: '', offset: 0 };

/** /visits/bookings: search, filter, page through and export the edition's bookings; cancel one on the visitor's behalf. */
export function BookingsView() {
  return <VisitsFrame>{(edition) => <BookingsPanel key={edition.id} edition={edition} />}</VisitsFrame>;
}

function BookingsPanel({ edition }: { edition: Edition }) {
  const t = useCatalog();
  const texts = useTexts(visitsTexts);
  const slots = useSlots(edition.id);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const bookings = useBookings(edition.id, filters);
  const cancel = useCancelBooking();
  const [cancelling, setCancelling] = useState<Booking | null>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const label = (booking: Booking) =>
    slotLabel({ startsAt: booking.slotStartsAt, endsAt: booking.slotEndsAt }, edition.timeZone, t);

  function search(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...filters, q: searchText, offset: 0 });
  }

  async function confirmCancel() {
    if (!cancelling) return;
    setProblem(null);
    try {
      await cancel.mutateAsync(cancelling.id);
      setNotice(texts.cancelled(cancelling.name));
    } catch (error) {
      setProblem(
        error instanceof ApiRefusal
          ? readProblem(error.status, error.body, [], t.failed)
          : { fields: {}, general: [t.failed], status: 0, codes: [] },
      );
    }
    setCancelling(null);
  }

  const page = bookings.data;
  const first = page && page.total > 0 ? filters.offset + 1 : 0;
  const last = page ? filters.offset + page.items.length : 0;

  return (
    <>
      <h2 id="bookings-title">{texts.bookingsTitle}</h2>
      <form role="search" className="booking-filters" onSubmit={search}>
        <TextField
          label={texts.search}
          type="search"
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
          maxLength={100}
        />
        <button type="submit">{t.search}</button>
        <SelectField
          label={texts.slotFilter}
          value={filters.slotId}
          onChange={(event) => setFilters({ ...filters, slotId: event.target.value, offset: 0 })}
        >
          <option value="">{texts.all}</option>
          {(slots.data ?? []).map((slot) => (
            <option key={slot.id} value={slot.id}>
              {slotLabel(slot, edition.timeZone, t)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={texts.statusFilter}
          value={filters.status}
          onChange={(event) =>
            setFilters({ ...filters, status: event.target.value as BookingFilters['status'], offset: 0 })
          }
        >
          <option value="">{texts.all}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {texts[`status_${status}`]}
            </option>
          ))}
        </SelectField>
      </form>
      <p>
        <a href={bookingsCsvUrl(edition.id, filters)} download>
          {texts.exportCsv}
        </a>
      </p>
      <Notice>{notice}</Notice>
      <FormProblems problem={problem} />
      {bookings.isPending && <p>{t.loading}</p>}
      {bookings.isError && <p role="alert">{t.failed}</p>}
      {page && page.items.length === 0 && <p>{texts.noBookings}</p>}
      {page && page.items.length > 0 && (
        <div className="table-scroll">
          <table aria-labelledby="bookings-title">
            <thead>
              <tr>
                <th scope="col">{texts.name}</th>
                <th scope="col">{texts.email}</th>
                <th scope="col">{texts.group}</th>
                <th scope="col">{texts.party}</th>
                <th scope="col">{texts.slot}</th>
                <th scope="col">{texts.status}</th>
                <th scope="col">{texts.actions}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((booking) => (
                <tr key={booking.id}>
                  <th scope="row">{booking.name}</th>
                  <td>{booking.email}</td>
                  <td>{booking.groupName ?? ''}</td>
                  <td>{booking.partySize}</td>
                  <td>{label(booking)}</td>
                  <td>
                    {texts[`status_${booking.status}`]}
                    {booking.checkedInAt ? `, ${texts.arrived}` : ''}
                  </td>
                  <td>
                    {booking.status !== 'cancelled' && !booking.checkedInAt && (
                      <button
                        type="button"
                        className="danger"
                        aria-label={texts.cancelBooking(booking.name)}
                        onClick={() => (setNotice(''), setCancelling(booking))}
                      >
                        {texts.cancelButton}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.total > 0 && (
        <nav aria-label={texts.pages} className="pager">
          <button
            type="button"
            className="secondary"
            disabled={filters.offset === 0}
            onClick={() => setFilters({ ...filters, offset: Math.max(0, filters.offset - BOOKINGS_PER_PAGE) })}
          >
            {t.previous}
          </button>
          <span>{texts.range(first, last, page.total)}</span>
          <button
            type="button"
            className="secondary"
            disabled={last >= page.total}
            onClick={() => setFilters({ ...filters, offset: filters.offset + BOOKINGS_PER_PAGE })}
          >
            {t.next}
          </button>
        </nav>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title={texts.cancelTitle}
        confirmLabel={texts.confirmCancel}
        cancelLabel={texts.keepBooking}
        busy={cancel.isPending}
        onConfirm={() => void confirmCancel()}
        onCancel={() => setCancelling(null)}
      >
        {cancelling && (
          <p>{texts.cancelBody(cancelling.name, texts.people(cancelling.partySize), label(cancelling))}</p>
        )}
      </ConfirmDialog>
    </>
  );
}
