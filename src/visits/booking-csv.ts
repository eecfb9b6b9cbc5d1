import type { CsvColumn } from '../common/csv';
import type { BookingView } from './dto/booking.dto';

export const BOOKING_CSV_COLUMNS: readonly CsvColumn<BookingView>[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'slot_id', value: (row) => row.slotId },
  { header: 'slot_starts_at', value: (row) => row.slotStartsAt },
  { header: 'slot_ends_at', value: (row) => row.slotEndsAt },
  { header: 'status', value: (row) => row.status },
  { header: 'name', value: (row) => row.name },
  { header: 'email', value: (row) => row.email },
  { header: 'phone', value: (row) => row.phone },
  { header: 'group_name', value: (row) => row.groupName },
  { header: 'party_size', value: (row) => row.partySize },
  { header: 'locale', value: (row) => row.locale },
  { header: 'checked_in_at', value: (row) => row.checkedInAt },
  { header: 'created_at', value: (row) => row.createdAt },
  { header: 'cancelled_at', value: (row) => row.cancelledAt },
];
