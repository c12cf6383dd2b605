import { toIsoSeconds } from '@vidivo/contracts';
import { DateTime, IANAZone } from 'luxon';

/*
 * A host's availability is written in wall-clock time in the host's zone; bookings live in real
 * (UTC) time. Everything here converts wall clock → instant with luxon and then works on instants,
 * so a window on a DST day is as long as the clock says it is in real time.
 *
 * Wall-clock → instant, the two awkward cases:
 * - a time that does not exist (02:30 on a spring-forward day in New York) is shifted forward by the
 *   gap, as luxon does: 02:30 → 03:30 EDT; 02:00 → 03:00 EDT, so a rule 02:00–03:00 is empty that day.
 * - a time that exists twice (01:30 on a fall-back day in New York) is its FIRST occurrence (EDT),
 *   not luxon's default (the later offset). So a rule 01:00–04:00 starts at 01:00 EDT and lasts
 *   4 real hours on the fall-back day, 2 on the spring-forward day, 3 otherwise.
 * "24:00" is the next day's 00:00 resolved the same way, so a day ending at 24:00 touches the
 * next day's window starting at 00:00.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** "HH:mm" local wall-clock in the host's zone; end > start; end may be "24:00". */
export interface WeeklyRule {
  day: Weekday;
  start: string;
  end: string;
}
/**
 * date "YYYY-MM-DD" in the host's zone. Window overrides for a date replace that date's weekly
 * rules (several on one date are united); an `unavailable` override wins over window overrides.
 */
export type DateOverride = { date: string; unavailable: true } | { date: string; start: string; end: string };
export interface Availability {
  timezone: string;
  slotMinutes: number;
  weekly: WeeklyRule[];
  dateOverrides: DateOverride[];
  minNoticeMinutes: number;
  bufferMinutes: number;
}
/** Half-open [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * The real-time windows when the host is available, for host-local dates fromDate..toDate
 * inclusive, sorted by start. Rules that overlap or touch on one date are merged; windows of
 * consecutive dates are kept apart even when they touch at midnight (so each date's slots start
 * from that date's own rule), and never overlap. Empty windows (a rule inside a DST gap) are dropped.
 * Throws RangeError on an unknown zone or a malformed date or "HH:mm".
 */
export function availabilityWindows(availability: Availability, fromDate: string, toDate: string): Interval[] {
  const zone = requireZone(availability.timezone);
  const rulesFor = localRules(availability);
  const last = calendarDay(toDate);
  const windows: Interval[] = [];
  for (let date = calendarDay(fromDate); date <= last; date = date.plus({ days: 1 })) {
    const dayWindows = rulesFor(date)
      .map(([startMinute, endMinute]) => ({
        start: instantOf(date, startMinute, zone),
        end: instantOf(date, endMinute, zone),
      }))
      .filter((w) => w.start < w.end);
    windows.push(...merge(dayWindows, true));
  }
  // Dates do not overlap in real time, except where a zone skips a whole date; merging strict
  // overlaps keeps the "windows never overlap" promise even then.
  return merge(windows, false);
}

/** A bookable slot as shown to a viewer. */
export interface SlotView {
  /** "YYYY-MM-DD" of the slot's start in the display zone. */
  date: string;
  /** "HH:mm" wall clock in the display zone; on a fall-back day two slots may read the same. */
  start_time: string;
  /** "HH:mm" wall clock in the display zone; a slot ending at midnight reads "00:00". */
  end_time: string;
  /** UTC, seconds precision, e.g. "2026-03-15T13:00:00Z". */
  start: string;
  available: boolean;
}
export interface SlotQuery {
  startDate: string;
  endDate: string;
  /** The display zone. */
  timezone: string;
  now: Date;
  /** Blocked ranges of confirmed bookings, buffers already included (see blockedRange). */
  busy: Interval[];
}

/**
 * Slots whose display-zone date is within startDate..endDate inclusive, sorted by start. Each
 * availability window is cut from its start into consecutive slotMinutes pieces of real time; a
 * shorter remainder is dropped. Past slots are listed, unavailable. A slot is available when it
 * starts at or after now + minNotice and its blocked range overlaps none of `busy`.
 */
export function slotsFor(availability: Availability, query: SlotQuery): SlotView[] {
  const displayZone = requireZone(query.timezone);
  const slotMs = requirePositiveMinutes(availability.slotMinutes, 'slotMinutes') * MINUTE_MS;
  const first = calendarDay(query.startDate);
  const last = calendarDay(query.endDate);
  // Two zones can be up to 26 hours apart (UTC−12 vs UTC+14), so one day either side is not
  // always enough; two days always is, and the display-date filter below trims the extra.
  const windows = availabilityWindows(availability, isoDate(first.minus({ days: 2 })), isoDate(last.plus({ days: 2 })));
  const earliestStart = query.now.getTime() + availability.minNoticeMinutes * MINUTE_MS;
  const from = isoDate(first);
  const to = isoDate(last);

  // Busy ranges in start order, walked once alongside the slots (which come in time order too),
  // so a host with thousands of bookings costs a sort, not slots × bookings comparisons.
  const busy = [...query.busy].sort((a, b) => a.start.getTime() - b.start.getTime());
  let next = 0;
  const isBusy = (blocked: Interval): boolean => {
    while (next < busy.length && busy[next].end.getTime() <= blocked.start.getTime()) next++;
    // Every range before `next` has ended; if the first one left starts after the slot, so do the rest.
    return next < busy.length && busy[next].start.getTime() < blocked.end.getTime();
  };

  const slots: SlotView[] = [];
  for (const window of windows) {
    const windowEnd = window.end.getTime();
    let shownStart = DateTime.fromMillis(window.start.getTime(), { zone: displayZone });
    for (let start = window.start.getTime(); start + slotMs <= windowEnd; start += slotMs) {
      const shownEnd = DateTime.fromMillis(start + slotMs, { zone: displayZone });
      const date = isoDate(shownStart);
      if (date >= from && date <= to) {
        const span = { start: new Date(start), end: new Date(start + slotMs) };
        const blocked = blockedRange(span, availability.bufferMinutes);
        slots.push({
          date,
          start_time: clockLabel(shownStart),
          end_time: clockLabel(shownEnd),
          start: toIsoSeconds(span.start),
          available: !isBusy(blocked) && start >= earliestStart,
        });
      }
      shownStart = shownEnd;
    }
  }
  return slots.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/**
 * Whether [span.start, span.end) lies entirely inside one availability window. Windows that touch
 * (a date ending at "24:00" and the next starting at "00:00") count as one: the host is
 * available throughout. An empty or inverted span is never inside.
 */
export function isWithinAvailability(availability: Availability, span: Interval): boolean {
  const zone = requireZone(availability.timezone);
  if (!(span.start.getTime() < span.end.getTime())) return false;
  const firstDay = calendarDay(isoDate(DateTime.fromJSDate(span.start, { zone }))).minus({ days: 1 });
  const lastDay = calendarDay(isoDate(DateTime.fromJSDate(span.end, { zone }))).plus({ days: 1 });
  const windows = merge(availabilityWindows(availability, isoDate(firstDay), isoDate(lastDay)), true);
  return windows.some((w) => w.start <= span.start && span.end <= w.end);
}

/** The range a booking blocks for others: [start, end + buffer). Slots and the DB constraint use the same rule. */
export function blockedRange(span: Interval, bufferMinutes: number): Interval {
  return { start: span.start, end: new Date(span.end.getTime() + bufferMinutes * MINUTE_MS) };
}

export const MAX_RANGE_DAYS = 62;

/**
 * Days in the inclusive range startDate..endDate (for the 62-day limit); both "YYYY-MM-DD".
 * 1 when they are equal, 0 or less when endDate is before startDate. Throws RangeError on a
 * malformed date, so validate the format first.
 */
export function daysInRange(startDate: string, endDate: string): number {
  return calendarDay(endDate).diff(calendarDay(startDate), 'days').days + 1;
}

/** A "YYYY-MM-DD" date that exists (not 2027-02-29), so the maths here cannot throw on it. */
export function isCalendarDate(date: string): boolean {
  return typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** An IANA zone name the runtime knows ("Europe/Berlin", "UTC"); offsets like "+05:30" are not. */
export function isValidTimeZone(zone: string): boolean {
  // IANAZone.create caches per name; isValidZone would build an Intl formatter on every call.
  return typeof zone === 'string' && /^[A-Za-z]/.test(zone) && IANAZone.create(zone).isValid;
}

/** For each host-local date, the [startMinute, endMinute) wall-clock ranges that apply to it. */
function localRules(availability: Availability): (date: DateTime) => Array<[number, number]> {
  const toRange = (r: { start: string; end: string }): [number, number] => [clockMinutes(r.start), clockMinutes(r.end)];
  const weekly = WEEKDAYS.map((weekday) => availability.weekly.filter((rule) => rule.day === weekday).map(toRange));
  const overrides = new Map<string, Array<[number, number]>>();
  for (const override of availability.dateOverrides) {
    const date = isoDate(calendarDay(override.date));
    if ('unavailable' in override) overrides.set(date, []);
    else if (overrides.get(date)?.length !== 0) overrides.set(date, [...(overrides.get(date) ?? []), toRange(override)]);
  }
  return (date) => overrides.get(isoDate(date)) ?? weekly[date.weekday - 1];
}

/**
 * The instant the host's wall clock reads `minute` (0..1440) on a calendar date; see the header
 * for times that do not exist or exist twice.
 */
function instantOf(date: DateTime, minute: number, zone: string): Date {
  const day = date.plus({ days: Math.floor(minute / DAY_MINUTES) });
  const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor((minute % DAY_MINUTES) / 60), minute: minute % 60 }, { zone });
  return new Date(Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis())));
}

/** Sorts and merges overlapping intervals; touching ones too when `touching`. */
function merge(intervals: Interval[], touching: boolean): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const next of sorted) {
    const current = merged[merged.length - 1];
    const joins = current !== undefined && (touching ? next.start.getTime() <= current.end.getTime() : next.start.getTime() < current.end.getTime());
    if (joins) {
      if (next.end > current.end) current.end = next.end;
    } else {
      merged.push({ start: next.start, end: next.end });
    }
  }
  return merged;
}

/** "HH:mm" → minutes after midnight; "24:00" is 1440. */
function clockMinutes(clock: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (match) return Number(match[1]) * 60 + Number(match[2]);
  if (clock === '24:00') return DAY_MINUTES;
  throw new RangeError(`Not an "HH:mm" time: ${JSON.stringify(clock)}`);
}

/** "YYYY-MM-DD" as a calendar day (in UTC, used for date arithmetic only). */
function calendarDay(date: string): DateTime {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: 'UTC' }) : undefined;
  if (!day?.isValid) throw new RangeError(`Not a "YYYY-MM-DD" date: ${JSON.stringify(date)}`);
  return day;
}

// Built from luxon's fields rather than toFormat, which is several times slower per slot.
function isoDate(date: DateTime): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

function clockLabel(time: DateTime): string {
  return `${pad2(time.hour)}:${pad2(time.minute)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function requireZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
  return zone;
}

function requirePositiveMinutes(minutes: number, name: string): number {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`${name} must be a positive integer`);
  return minutes;
}
