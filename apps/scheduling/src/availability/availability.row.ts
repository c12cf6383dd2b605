import { AvailabilityDto, DateOverrideDto, WeeklyRuleDto, toIsoSeconds } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { Availability, DateOverride } from '../domain/availability';

/** A row of scheduling.availability as the driver answers it (jsonb parsed, timestamptz as Date). */
export interface AvailabilityRow {
  host_id: string;
  timezone: string;
  rate_cents: number;
  window_size_minutes: number;
  slot_minutes: number;
  weekly: WeeklyRuleDto[];
  date_overrides: DateOverrideDto[];
  min_notice_minutes: number;
  buffer_minutes: number;
  updated_at: Date;
}

/** What a host sells and when (decision 16). */
export interface HostAvailability {
  rules: Availability;
  rateCents: number;
  windowSizeMinutes: number;
  dto: AvailabilityDto;
}

export function normaliseOverride(override: DateOverrideDto): DateOverride {
  return override.unavailable ? { date: override.date, unavailable: true } : { date: override.date, start: override.start!, end: override.end! };
}

export function toHostAvailability(row: AvailabilityRow): HostAvailability {
  const rules: Availability = {
    timezone: row.timezone,
    slotMinutes: row.slot_minutes,
    weekly: row.weekly,
    dateOverrides: row.date_overrides.map(normaliseOverride),
    minNoticeMinutes: row.min_notice_minutes,
    bufferMinutes: row.buffer_minutes,
  };
  return {
    rules,
    rateCents: row.rate_cents,
    windowSizeMinutes: row.window_size_minutes,
    dto: {
      timezone: row.timezone,
      rate_per_minute: formatCents(row.rate_cents),
      window_size_minutes: row.window_size_minutes,
      slot_minutes: row.slot_minutes,
      weekly: row.weekly,
      date_overrides: row.date_overrides,
      min_notice_minutes: row.min_notice_minutes,
      buffer_minutes: row.buffer_minutes,
      updated_at: toIsoSeconds(row.updated_at),
    },
  };
}
