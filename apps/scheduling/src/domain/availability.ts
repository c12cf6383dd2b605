import { DateTime, IANAZone } from 'luxon';
import { WallClockLabels } from './wall-clock-labels';
import { DAY_MS, ZoneOffsets } from './zone-offsets';

/*
 * A host's availability is written in wall-clock time in the host's zone; bookings live in real
 * (UTC) time. Everything here converts wall clock → instant with the zone's offsets (luxon's, read
 * once per day: ZoneOffsets) and then works on instants in epoch milliseconds, so a window on a DST
 * day is as long as the clock says it is in real time, and a slot costs integer arithmetic.
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

/** Half-open [start, end) in epoch milliseconds: what the computations below work on. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The real-time windows when the host is available, for host-local dates fromDate..toDate
 * inclusive, sorted by start. Rules that overlap or touch on one date are merged; windows of
 * consecutive dates are kept apart even when they touch at midnight (so each date's slots start
 * from that date's own rule), and never overlap. Empty windows (a rule inside a DST gap) are dropped.
 * Throws RangeError on an unknown zone or a malformed date or "HH:mm".
 */
export function availabilityWindows(availability: Availability, fromDate: string, toDate: string): Interval[] {
  const zone = new ZoneOffsets(requireZone(availability.timezone));
  const rulesFor = localRules(availability);
  const last = calendarDay(toDate);
  return windowsOf(zone, rulesFor, calendarDay(fromDate), last).map(({ start, end }) => ({ start: new Date(start), end: new Date(end) }));
}

/** availabilityWindows over days counted from 1970-01-01, in epoch milliseconds. */
function windowsOf(zone: ZoneOffsets, rulesFor: (day: number) => Array<[number, number]>, firstDay: number, lastDay: number): Span[] {
  const windows: Span[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const dayWindows: Span[] = [];
    for (const [startMinute, endMinute] of rulesFor(day)) {
      const start = zone.instantOf(day * DAY_MS + startMinute * MINUTE_MS);
      const end = zone.instantOf(day * DAY_MS + endMinute * MINUTE_MS);
      if (start < end) dayWindows.push({ start, end });
    }
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
  /** Blocked ranges of confirmed bookings, buffers already included (see blockedRange), in any order. */
  busy: Span[];
}

/**
 * Slots whose display-zone date is within startDate..endDate inclusive, sorted by start. Each
 * availability window is cut from its start into consecutive slotMinutes pieces of real time; a
 * shorter remainder is dropped. Past slots are listed, unavailable. A slot is available when it
 * starts at or after now + minNotice and its blocked range overlaps none of `busy`.
 */
export function slotsFor(availability: Availability, query: SlotQuery): SlotView[] {
  const display = new ZoneOffsets(requireZone(query.timezone));
  const slotMs = requirePositiveMinutes(availability.slotMinutes, 'slotMinutes') * MINUTE_MS;
  const first = calendarDay(query.startDate);
  const last = calendarDay(query.endDate);
  // Two zones can be up to 26 hours apart (UTC−12 vs UTC+14), so one day either side is not
  // always enough; two days always is, and the display-date filter below trims the extra.
  const windows = windowsOf(new ZoneOffsets(requireZone(availability.timezone)), localRules(availability), first - 2, last + 2);
  const earliestStart = query.now.getTime() + availability.minNoticeMinutes * MINUTE_MS;
  const bufferMs = availability.bufferMinutes * MINUTE_MS;
  // The display dates first..last as a range of wall-clock times (epoch milliseconds read as UTC).
  const shownFrom = first * DAY_MS;
  const shownUntil = (last + 1) * DAY_MS;
  const busy = new BusyTimes(query.busy);
  const labels = new WallClockLabels();

  // Windows are sorted and apart, so slots come out in start order.
  const slots: SlotView[] = [];
  for (const window of windows) {
    let shownStart = display.wallClock(window.start);
    for (let start = window.start; start + slotMs <= window.end; start += slotMs) {
      const shownEnd = display.wallClock(start + slotMs);
      if (shownStart >= shownFrom && shownStart < shownUntil) {
        slots.push({
          date: labels.date(shownStart),
          start_time: labels.clock(shownStart),
          end_time: labels.clock(shownEnd),
          start: labels.isoSeconds(start),
          // The slot's blocked range, as blockedRange gives it, against the bookings' ones.
          available: !busy.overlaps(start, start + slotMs + bufferMs) && start >= earliestStart,
        });
      }
      shownStart = shownEnd;
    }
  }
  return slots;
}

/**
 * Busy ranges in start order, walked once alongside the slots (which come in time order too), so a
 * host with thousands of bookings costs a sort, not slots × bookings comparisons.
 */
class BusyTimes {
  private readonly ranges: Span[];
  private next = 0;

  constructor(busy: Span[]) {
    // Already in start order when the repository answers: the sort then only checks it.
    this.ranges = [...busy].sort((a, b) => a.start - b.start);
  }

  /** Whether [start, end) overlaps a busy range; `start` must not go down from one call to the next. */
  overlaps(start: number, end: number): boolean {
    const ranges = this.ranges;
    while (this.next < ranges.length && ranges[this.next].end <= start) this.next++;
    // Every range before `next` has ended; if the first one left starts after the slot, so do the rest.
    return this.next < ranges.length && ranges[this.next].start < end;
  }
}

/**
 * Whether [span.start, span.end) lies entirely inside one availability window. Windows that touch
 * (a date ending at "24:00" and the next starting at "00:00") count as one: the host is
 * available throughout. An empty or inverted span is never inside.
 */
export function isWithinAvailability(availability: Availability, span: Interval): boolean {
  const zone = new ZoneOffsets(requireZone(availability.timezone));
  const start = span.start.getTime();
  const end = span.end.getTime();
  if (!(start < end)) return false;
  const firstDay = Math.floor(zone.wallClock(start) / DAY_MS) - 1;
  const lastDay = Math.floor(zone.wallClock(end) / DAY_MS) + 1;
  const windows = merge(windowsOf(zone, localRules(availability), firstDay, lastDay), true);
  return windows.some((w) => w.start <= start && end <= w.end);
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
  return calendarDay(endDate) - calendarDay(startDate) + 1;
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

/** For each host-local date (a day counted from 1970-01-01), the [startMinute, endMinute) wall-clock ranges that apply to it. */
function localRules(availability: Availability): (day: number) => Array<[number, number]> {
  const toRange = (r: { start: string; end: string }): [number, number] => [clockMinutes(r.start), clockMinutes(r.end)];
  const weekly = WEEKDAYS.map((weekday) => availability.weekly.filter((rule) => rule.day === weekday).map(toRange));
  const overrides = new Map<number, Array<[number, number]>>();
  for (const override of availability.dateOverrides) {
    const date = calendarDay(override.date);
    if ('unavailable' in override) overrides.set(date, []);
    else if (overrides.get(date)?.length !== 0) overrides.set(date, [...(overrides.get(date) ?? []), toRange(override)]);
  }
  return (day) => overrides.get(day) ?? weekly[weekdayIndex(day)];
}

/** 0 for Monday … 6 for Sunday; day 0, 1970-01-01, was a Thursday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Sorts and merges overlapping intervals; touching ones too when `touching`. */
function merge(intervals: Span[], touching: boolean): Span[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const next of sorted) {
    const current = merged[merged.length - 1];
    const joins = current !== undefined && (touching ? next.start <= current.end : next.start < current.end);
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

/** "YYYY-MM-DD" as a day counted from 1970-01-01 (luxon checks that the date exists). */
function calendarDay(date: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: 'UTC' }) : undefined;
  if (!day?.isValid) throw new RangeError(`Not a "YYYY-MM-DD" date: ${JSON.stringify(date)}`);
  return Math.floor(day.toMillis() / DAY_MS);
}

function requireZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
  return zone;
}

function requirePositiveMinutes(minutes: number, name: string): number {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`${name} must be a positive integer`);
  return minutes;
}
