import { Info, Zone } from 'luxon';

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Days of offsets kept for all zones together; past it the cache starts over, so memory stays bounded. */
const CACHED_DAYS = 20_000;

/** A UTC day without a change is one offset; a day with changes lists each offset from the instant it starts. */
type DayOffsets = number | { starts: number[]; offsets: number[] };

const cache = new Map<string, Map<number, DayOffsets>>();
let cachedDays = 0;

/**
 * A zone's UTC offsets in minutes, exactly as luxon's `Zone.offset` gives them (luxon and the runtime's
 * tz data stay the source of the rules), asked once per UTC day and cached for the process: a slot
 * then costs a map lookup instead of an Intl formatting call (about 5 µs each, thousands per query).
 *
 * Offsets are read at each UTC midnight; when two midnights differ, the changes between them are
 * found by bisection to the second (luxon's offsets are constant within a second). Two changes that
 * cancel out within one UTC day would be missed: the tz database has none since 1970 (every zone the
 * runtime knows, scanned in 3-hour steps to 2040 and daily to 2100: changes are at least 6.9 days apart).
 */
export class ZoneOffsets {
  private readonly zone: Zone;
  private readonly days: Map<number, DayOffsets>;

  /** The zone as luxon reads a zone name ("UTC" is a fixed offset, others IANA); the name must be valid. */
  constructor(name: string) {
    this.zone = Info.normalizeZone(name);
    let days = cache.get(name);
    if (!days) {
      days = new Map<number, DayOffsets>();
      cache.set(name, days);
    }
    this.days = days;
  }

  /** Minutes to add to UTC to read the zone's wall clock at the instant `ms`. */
  offsetAt(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    const offsets = this.days.get(day) ?? this.load(day);
    if (typeof offsets === 'number') return offsets;
    let index = offsets.starts.length - 1;
    while (ms < offsets.starts[index]) index--;
    return offsets.offsets[index];
  }

  /** The wall clock at the instant `ms`, as epoch milliseconds read as UTC (luxon's own arithmetic, truncation included). */
  wallClock(ms: number): number {
    return Math.trunc(ms + this.offsetAt(ms) * 60 * 1000);
  }

  /**
   * The instant the wall clock reads `wallClock` (epoch milliseconds read as UTC). A time that exists
   * twice is its first occurrence; a time in a gap is read with the offset before the gap, so it lands
   * after the gap, shifted forward by its length (as luxon's DateTime.fromObject does). Like luxon's
   * getPossibleOffsets, the candidates are the offsets a day before and a day after.
   */
  instantOf(wallClock: number): number {
    const before = this.offsetAt(wallClock - DAY_MS);
    const after = this.offsetAt(wallClock + DAY_MS);
    const asBefore = wallClock - before * MINUTE_MS;
    const asAfter = wallClock - after * MINUTE_MS;
    const fitsBefore = this.offsetAt(asBefore) === before;
    const fitsAfter = this.offsetAt(asAfter) === after;
    if (fitsBefore && fitsAfter) return Math.trunc(Math.min(asBefore, asAfter));
    if (fitsBefore) return Math.trunc(asBefore);
    if (fitsAfter) return Math.trunc(asAfter);
    return Math.trunc(wallClock - Math.min(before, after) * MINUTE_MS);
  }

  private load(day: number): DayOffsets {
    const start = day * DAY_MS;
    const end = start + DAY_MS;
    const first = this.zone.offset(start);
    const last = this.zone.offset(end);
    let offsets: DayOffsets = first;
    if (first !== last) {
      const starts = [start];
      const values = [first];
      let from = start;
      let current = first;
      while (current !== last) {
        // offset(from) is `current`, offset(end) is not: narrow down to the second where it changes.
        let to = end;
        while (to - from > 1000) {
          const middle = from + Math.floor((to - from) / 2000) * 1000;
          if (this.zone.offset(middle) === current) from = middle;
          else to = middle;
        }
        current = this.zone.offset(to);
        starts.push(to);
        values.push(current);
        from = to;
      }
      offsets = { starts, offsets: values };
    }
    if (++cachedDays > CACHED_DAYS) {
      cache.forEach((days) => days.clear());
      cachedDays = 1;
    }
    this.days.set(day, offsets);
    return offsets;
  }
}
