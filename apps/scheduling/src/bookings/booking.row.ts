import { BookingDto, BookingStatus, toIsoSeconds, toIsoSecondsOrNull } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';

export interface BookingRow {
  id: string;
  host_id: string;
  host_name: string;
  guest_id: string;
  guest_name: string;
  scheduled_at: Date;
  duration_minutes: number;
  ends_at: Date;
  blocked_until: Date;
  note: string | null;
  rate_cents: number;
  window_size_minutes: number;
  status: BookingStatus;
  created_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export function toBookingDto(row: BookingRow): BookingDto {
  return {
    id: row.id,
    status: row.status,
    host: { id: row.host_id, display_name: row.host_name },
    guest: { id: row.guest_id, display_name: row.guest_name },
    scheduled_at: toIsoSeconds(row.scheduled_at),
    duration_minutes: row.duration_minutes,
    note: row.note,
    rate_per_minute: formatCents(row.rate_cents),
    window_size_minutes: row.window_size_minutes,
    created_at: toIsoSeconds(row.created_at),
    cancelled_at: toIsoSecondsOrNull(row.cancelled_at),
    cancel_reason: row.cancel_reason,
  };
}
