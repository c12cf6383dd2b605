import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, AvailabilityDto, AvailabilityRequest, DateOverrideDto, ErrorDetail, WeeklyRuleDto, toIsoSeconds } from '@vidivo/contracts';
import { formatCents, parseCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import { DataSource } from 'typeorm';
import { Availability, DateOverride, isCalendarDate } from '../domain/availability';
import { SCHEDULING_SCHEMA } from '../scheduling.schema';

export const DEFAULT_SLOT_MINUTES = 60;
const HOST_ROLES = new Set(['host', 'admin']);

interface AvailabilityRow {
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

@Injectable()
export class AvailabilityService {
  constructor(@InjectDataSource(SCHEDULING_SCHEMA) private readonly dataSource: DataSource) {}

  async put(actor: Actor, request: AvailabilityRequest): Promise<AvailabilityDto> {
    if (!HOST_ROLES.has(actor.role)) throw AppError.forbidden('Only hosts publish availability');
    const problems = [...windowProblems('weekly', request.weekly), ...windowProblems('date_overrides', request.date_overrides ?? [])];
    const dates = (request.date_overrides ?? []).map((override) => override.date);
    // A stored date that does not exist (2027-02-29) would make every slot query and booking of this host throw.
    dates.forEach((date, index) => {
      if (!isCalendarDate(date)) problems.push({ field: `date_overrides.${index}.date`, message: 'date must be a calendar date that exists' });
    });
    if (new Set(dates).size !== dates.length) problems.push({ field: 'date_overrides', message: 'each date may have one override' });
    if (problems.length > 0) throw AppError.validation('The availability is not valid', problems);

    const [row]: AvailabilityRow[] = await this.dataSource.query(
      `INSERT INTO scheduling.availability
         (host_id, timezone, rate_cents, window_size_minutes, slot_minutes, weekly, date_overrides, min_notice_minutes, buffer_minutes, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (host_id) DO UPDATE SET
         timezone = EXCLUDED.timezone, rate_cents = EXCLUDED.rate_cents, window_size_minutes = EXCLUDED.window_size_minutes,
         slot_minutes = EXCLUDED.slot_minutes, weekly = EXCLUDED.weekly, date_overrides = EXCLUDED.date_overrides,
         min_notice_minutes = EXCLUDED.min_notice_minutes, buffer_minutes = EXCLUDED.buffer_minutes, updated_at = now()
       RETURNING *`,
      [
        actor.id,
        request.timezone,
        parseCents(request.rate_per_minute),
        request.window_size_minutes,
        request.slot_minutes ?? DEFAULT_SLOT_MINUTES,
        JSON.stringify(request.weekly.map(({ day, start, end }) => ({ day, start, end }))),
        JSON.stringify((request.date_overrides ?? []).map(normaliseOverride)),
        request.min_notice_minutes ?? 0,
        request.buffer_minutes ?? 0,
      ],
    );
    return toHostAvailability(row).dto;
  }

  async mine(actor: Actor): Promise<AvailabilityDto> {
    if (!HOST_ROLES.has(actor.role)) throw AppError.forbidden('Only hosts publish availability');
    const availability = await this.forHost(actor.id);
    if (!availability) throw AppError.notFound('Availability');
    return availability.dto;
  }

  async forHost(hostId: string): Promise<HostAvailability | null> {
    const [row]: AvailabilityRow[] = await this.dataSource.query(`SELECT * FROM scheduling.availability WHERE host_id = $1`, [hostId]);
    return row ? toHostAvailability(row) : null;
  }
}

function normaliseOverride(override: DateOverrideDto): DateOverride {
  return override.unavailable ? { date: override.date, unavailable: true } : { date: override.date, start: override.start!, end: override.end! };
}

function windowProblems(field: string, windows: Array<{ start?: string; end?: string; unavailable?: true }>): ErrorDetail[] {
  return windows.flatMap((window, index) => (window.unavailable || window.start! < window.end! ? [] : [{ field: `${field}.${index}.end`, message: 'end must be after start' }]));
}

function toHostAvailability(row: AvailabilityRow): HostAvailability {
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
