import { toIsoSeconds } from '@vidivo/contracts';
import { DAY_MS } from './zone-offsets';

/*
 * The strings a slot is shown with, made from epoch milliseconds with integer arithmetic and reused:
 * a 62-day query shows thousands of slots on about 62 dates, and each date or clock reading is
 * formatted once. They read as luxon's fields and Date#toISOString would, for the years 0000–9999.
 */

const MINUTE_MS = 60_000;
/** 10000-01-01T00:00:00Z: from there on toISOString writes a six-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;

/** "HH:mm" for every minute of a day. */
const CLOCKS = Array.from({ length: 24 * 60 }, (_, minute) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`);

/** "YYYY-MM-DD" of a day counted from 1970-01-01 (day 0). */
export function isoDateOfDay(day: number): string {
  const date = new Date(day * DAY_MS);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

/** Dates and clock readings of wall-clock times (epoch milliseconds read as UTC), each date formatted once. */
export class WallClockLabels {
  private readonly dates = new Map<number, string>();

  /** "YYYY-MM-DD" of the wall-clock time. */
  date(wallClock: number): string {
    const day = Math.floor(wallClock / DAY_MS);
    let label = this.dates.get(day);
    if (label === undefined) this.dates.set(day, (label = isoDateOfDay(day)));
    return label;
  }

  /** "HH:mm" of the wall-clock time. */
  clock(wallClock: number): string {
    const day = Math.floor(wallClock / DAY_MS);
    return CLOCKS[Math.floor((wallClock - day * DAY_MS) / MINUTE_MS)];
  }

  /** The instant in UTC to the second, "2026-03-15T13:00:00Z", as toIsoSeconds writes it. */
  isoSeconds(ms: number): string {
    if (!(ms >= 0 && ms < YEAR_10000_MS)) return toIsoSeconds(new Date(ms));
    const seconds = Math.floor((ms % MINUTE_MS) / 1000);
    return `${this.date(ms)}T${this.clock(ms)}:${pad2(seconds)}Z`;
  }
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
