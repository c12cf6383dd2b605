import fc from 'fast-check';
import { DateTime, Info } from 'luxon';
import { DAY_MS, ZoneOffsets } from './zone-offsets';

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/Santiago',
  'Africa/Casablanca',
];
const FROM = Date.parse('2024-01-01T00:00:00Z');
const UNTIL = Date.parse('2028-01-01T00:00:00Z');

/** luxon's reading of a wall-clock time, the first instant when it exists twice. */
function luxonInstant(wallClock: number, zone: string): number {
  const c = new Date(wallClock);
  const local = DateTime.fromObject({ year: c.getUTCFullYear(), month: c.getUTCMonth() + 1, day: c.getUTCDate(), hour: c.getUTCHours(), minute: c.getUTCMinutes() }, { zone });
  return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}

/** Every offset change of the zone in [FROM, UNTIL), to the second, found the slow way (hourly, then by the second). */
function changes(zone: string): number[] {
  const luxonZone = Info.normalizeZone(zone);
  const found: number[] = [];
  for (let hour = FROM; hour < UNTIL; hour += 3_600_000) {
    if (luxonZone.offset(hour) === luxonZone.offset(hour + 3_600_000)) continue;
    let second = hour;
    while (luxonZone.offset(second) === luxonZone.offset(hour)) second += 1000;
    found.push(second);
  }
  return found;
}

describe('ZoneOffsets', () => {
  describe.each(ZONES)('%s', (zone) => {
    const offsets = new ZoneOffsets(zone);
    const luxonZone = Info.normalizeZone(zone);
    const zoneChanges = changes(zone);

    it('reads the offset luxon reads at any instant', () => {
      fc.assert(
        fc.property(fc.integer({ min: FROM, max: UNTIL }), (ms) => {
          expect(offsets.offsetAt(ms)).toBe(luxonZone.offset(ms));
        }),
        { numRuns: 500 },
      );
    });

    it('changes offset at the very second luxon does', () => {
      // Two a year, 2024–2027, where the zone has DST.
      expect(zoneChanges.length).toBe(zone === 'UTC' || zone === 'Asia/Kathmandu' ? 0 : 8);
      for (const change of zoneChanges) {
        for (const ms of [change - 1000, change - 1, change, change + 999]) expect(offsets.offsetAt(ms)).toBe(luxonZone.offset(ms));
      }
    });

    it('reads every quarter hour of the wall clock around each change as luxon does', () => {
      for (const change of zoneChanges) {
        const wallClockDay = Math.floor((change + luxonZone.offset(change) * 60_000) / DAY_MS) * DAY_MS;
        for (let wallClock = wallClockDay - DAY_MS; wallClock <= wallClockDay + 2 * DAY_MS; wallClock += 15 * 60_000) {
          expect(offsets.instantOf(wallClock)).toBe(luxonInstant(wallClock, zone));
        }
      }
    });
  });

  it('reads 02:30 on the New York spring-forward day as 03:30 EDT, and 01:30 on the fall-back day as 01:30 EDT', () => {
    const newYork = new ZoneOffsets('America/New_York');
    expect(new Date(newYork.instantOf(Date.parse('2026-03-08T02:30:00Z'))).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(new Date(newYork.instantOf(Date.parse('2026-11-01T01:30:00Z'))).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('stays right after its cache of days starts over', () => {
    const london = new ZoneOffsets('Europe/London');
    const summer = Date.parse('2026-07-01T12:00:00Z');
    expect(london.offsetAt(summer)).toBe(60);
    // More days than the cache keeps (20,000) of another zone.
    const kathmandu = new ZoneOffsets('Asia/Kathmandu');
    for (let day = 0; day < 20_500; day++) kathmandu.offsetAt(day * DAY_MS);
    expect(london.offsetAt(summer)).toBe(60);
    expect(london.offsetAt(Date.parse('2026-12-01T12:00:00Z'))).toBe(0);
  });
});
