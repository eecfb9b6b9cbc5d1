import { CsvColumn, instantColumns } from '../common/csv';
import type { BookingView } from './dto/booking.dto';

/** The bookings export; times in the edition's zone with the offset, each beside its UTC instant. */
export function bookingCsvColumns(timeZone: string): readonly CsvColumn<BookingView>[] {
  return [
    { header: 'id', value: (row) => row.id },
    { header: 'slot_id', value: (row) => row.slotId },
    ...instantColumns<BookingView>('slot_starts_at', (row) => row.slotStartsAt, timeZone),
    ...instantColumns<BookingView>('slot_ends_at', (row) => row.slotEndsAt, timeZone),
    { header: 'status', value: (row) => row.status },
    { header: 'name', value: (row) => row.name },
    { header: 'email', value: (row) => row.email },
    { header: 'phone', value: (row) => row.phone },
    { header: 'group_name', value: (row) => row.groupName },
    { header: 'party_size', value: (row) => row.partySize },
    { header: 'locale', value: (row) => row.locale },
    ...instantColumns<BookingView>('checked_in_at', (row) => row.checkedInAt, timeZone),
    ...instantColumns<BookingView>('created_at', (row) => row.createdAt, timeZone),
    ...instantColumns<BookingView>('cancelled_at', (row) => row.cancelledAt, timeZone),
  ];
}
