import { billingApp } from '@vidivo/app-billing';
// A test-only import: it must not make the apps' builds depend on each other (a cycle).
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { Account, ComposedPlatform, HttpResponse, registerAccount, startComposedPlatform } from '@vidivo/testing';
import ICAL from 'ical.js';
import { BookingsRepository, schedulingApp } from '@vidivo/app-scheduling';

jest.setTimeout(30_000);

const DAY_MS = 24 * 3600 * 1000;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const plusDays = (date: string, days: number) => isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
const weekdayOf = (date: string) => WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()];
const utcSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
/** Hosts below live in Asia/Kolkata (UTC+05:30 all year, no DST), so expected instants are plain arithmetic. */
const KOLKATA = '+05:30';
const inKolkata = (date: string, time: string) => Date.parse(`${date}T${time}:00${KOLKATA}`);
/** A host-local date two weeks ahead: far from "now", well inside a 62-day range. */
const DAY = plusDays(isoDate(Date.now()), 14);

interface Booking {
  id: string;
  status: string;
  scheduled_at: string;
  duration_minutes: number;
  note: string | null;
  host: { id: string; display_name: string };
  guest: { id: string; display_name: string };
}

describe('scheduling over HTTP (real Postgres, every domain app in-process)', () => {
  let platform: ComposedPlatform<StripeEmulator>;

  /** Weekly 09:00–17:00 on DAY's weekday, in Kolkata, 60-minute slots, no notice, no buffer. */
  const availability = (fields: Record<string, unknown> = {}) => ({
    timezone: 'Asia/Kolkata',
    rate_per_minute: '2.50',
    window_size_minutes: 10,
    slot_minutes: 60,
    weekly: [{ day: weekdayOf(DAY), start: '09:00', end: '17:00' }],
    date_overrides: [],
    min_notice_minutes: 0,
    buffer_minutes: 0,
    ...fields,
  });
  const newHost = async (fields: Record<string, unknown> = {}): Promise<Account> => {
    const host = await registerAccount(platform.api, 'host');
    const response = await platform.api.put('/v1/schedule/availability', availability(fields), { token: host.token });
    expect(response.status).toBe(200);
    return host;
  };
  const book = (guest: Account, host: Account, scheduledAt: number | string, duration = 60, note?: string) =>
    platform.api.post(
      '/v1/schedule/book',
      {
        host_username: host.username,
        scheduled_at: typeof scheduledAt === 'number' ? utcSeconds(scheduledAt) : scheduledAt,
        duration_minutes: duration,
        ...(note === undefined ? {} : { note }),
      },
      { token: guest.token },
    );
  const booked = async (guest: Account, host: Account, scheduledAt: number, duration = 60, note?: string): Promise<Booking> => {
    const response = await book(guest, host, scheduledAt, duration, note);
    expect(response.status).toBe(201);
    return response.body as Booking;
  };
  const slots = (username: string, query: string) => platform.api.get(`/v1/schedule/${username}?${query}`);
  const availableAt = async (host: Account, date: string) =>
    Object.fromEntries(
      ((await slots(host.username, `start_date=${date}&end_date=${date}`)).body.slots as Array<{ start_time: string; available: boolean }>).map((slot) => [
        slot.start_time,
        slot.available,
      ]),
    );
  const confirmedRows = async (hostId: string) =>
    (await platform.sql.query(`SELECT id, guest_id FROM scheduling.bookings WHERE host_id = $1 AND status = 'confirmed' ORDER BY scheduled_at`, [hostId])).rows;
  const expectValidationError = (response: HttpResponse, field: string, label: unknown) => {
    expect([label, response.status, response.body.error?.code]).toEqual([label, 400, 'validation_error']);
    expect([label, response.body.error.details.map((detail: { field: string }) => detail.field)]).toEqual([label, expect.arrayContaining([field])]);
  };

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'scheduling',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, schedulingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        STRIPE_TIMEOUT_MS: '1000',
        // No signaling here: nobody connects, so the rule for abandoned calls stays off.
        CALL_ABANDON_SECONDS: '0',
        PUBLIC_WEB_URL: 'https://vidivo.test',
      },
    });
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('PUT/GET /v1/schedule/availability', () => {
    it('stores what a host sets and reads it back; a second PUT replaces it, with the defaults', async () => {
      const host = await registerAccount(platform.api, 'host');
      expect((await platform.api.get('/v1/schedule/availability', { token: host.token })).status).toBe(404);
      const settings = {
        timezone: 'Asia/Kolkata',
        rate_per_minute: '3.75',
        window_size_minutes: 15,
        slot_minutes: 30,
        weekly: [
          { day: 'mon', start: '09:00', end: '12:00' },
          { day: 'mon', start: '13:00', end: '17:30' },
          { day: 'fri', start: '10:00', end: '24:00' },
        ],
        date_overrides: [
          { date: DAY, unavailable: true },
          { date: plusDays(DAY, 1), start: '08:00', end: '10:00' },
        ],
        min_notice_minutes: 120,
        buffer_minutes: 10,
      };
      const put = await platform.api.put('/v1/schedule/availability', settings, { token: host.token });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ ...settings, updated_at: expect.stringMatching(ISO_SECONDS) });
      const read = await platform.api.get('/v1/schedule/availability', { token: host.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(put.body);

      const minimal = { timezone: 'Europe/Berlin', rate_per_minute: '1.00', window_size_minutes: 5, weekly: [{ day: 'sun', start: '00:00', end: '24:00' }] };
      expect((await platform.api.put('/v1/schedule/availability', minimal, { token: host.token })).status).toBe(200);
      const replaced = await platform.api.get('/v1/schedule/availability', { token: host.token });
      expect(replaced.body).toEqual({ ...minimal, slot_minutes: 60, date_overrides: [], min_notice_minutes: 0, buffer_minutes: 0, updated_at: expect.stringMatching(ISO_SECONDS) });
      const rows = await platform.sql.query(`SELECT timezone, rate_cents, slot_minutes FROM scheduling.availability WHERE host_id = $1`, [host.id]);
      expect(rows.rows).toEqual([{ timezone: 'Europe/Berlin', rate_cents: 100, slot_minutes: 60 }]);
    });

    it('is for hosts only: 403 for other users, 401 without a token', async () => {
      const user = await registerAccount(platform.api, 'user');
      for (const response of [
        await platform.api.put('/v1/schedule/availability', availability(), { token: user.token }),
        await platform.api.get('/v1/schedule/availability', { token: user.token }),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('forbidden');
      }
      expect((await platform.api.put('/v1/schedule/availability', availability())).status).toBe(401);
      expect((await platform.api.get('/v1/schedule/availability')).status).toBe(401);
      const stored = await platform.sql.query(`SELECT count(*)::int AS n FROM scheduling.availability WHERE host_id = $1`, [user.id]);
      expect(stored.rows[0].n).toBe(0);
    });

    it('refuses bad input with 400 validation_error naming the field, and stores nothing', async () => {
      const host = await registerAccount(platform.api, 'host');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ timezone: 'Mars/Base' }, 'timezone'],
        [{ weekly: [{ day: 'mon', start: '17:00', end: '09:00' }] }, 'weekly.0.end'],
        [
          {
            weekly: [
              { day: 'mon', start: '09:00', end: '17:00' },
              { day: 'tue', start: '10:00', end: '10:00' },
            ],
          },
          'weekly.1.end',
        ],
        [{ weekly: [{ day: 'funday', start: '09:00', end: '17:00' }] }, 'weekly.0.day'],
        [{ weekly: [{ day: 'mon', start: '25:00', end: '26:00' }] }, 'weekly.0.start'],
        [{ weekly: [{ day: 'mon', start: '09:00', end: '24:30' }] }, 'weekly.0.end'],
        [{ slot_minutes: 5 }, 'slot_minutes'],
        [{ slot_minutes: 241 }, 'slot_minutes'],
        [{ colour: 'blue' }, 'colour'],
        [{ weekly: undefined }, 'weekly'],
        [{ rate_per_minute: 2.5 }, 'rate_per_minute'],
        [{ rate_per_minute: '0.10' }, 'rate_per_minute'],
        [{ window_size_minutes: 0 }, 'window_size_minutes'],
        [{ min_notice_minutes: -1 }, 'min_notice_minutes'],
        [{ buffer_minutes: 1.5 }, 'buffer_minutes'],
        [{ date_overrides: [{ date: '2026-13-01', unavailable: true }] }, 'date_overrides.0.date'],
        [{ date_overrides: [{ date: '2027-02-29', unavailable: true }] }, 'date_overrides.0.date'],
        [{ date_overrides: [{ date: '2026-04-31', start: '09:00', end: '10:00' }] }, 'date_overrides.0.date'],
        [{ date_overrides: [{ date: DAY, start: '12:00', end: '11:00' }] }, 'date_overrides.0.end'],
        [
          {
            date_overrides: [
              { date: DAY, unavailable: true },
              { date: DAY, unavailable: true },
            ],
          },
          'date_overrides',
        ],
      ];
      for (const [fields, field] of cases) {
        const response = await platform.api.put('/v1/schedule/availability', availability(fields), { token: host.token });
        expectValidationError(response, field, fields);
      }
      const malformed = await platform.api.put('/v1/schedule/availability', undefined, { token: host.token, rawBody: '{"timezone": "UTC",' });
      expect([malformed.status, malformed.body.error.code]).toEqual([400, 'validation_error']);
      expect((await platform.api.get('/v1/schedule/availability', { token: host.token })).status).toBe(404);
    });
  });

  describe('GET /v1/schedule/:username (public)', () => {
    let host: Account;
    const expected = (date: string, times: Array<[string, string]>) =>
      times.map(([start, end]) => ({ date, start_time: start, end_time: end, start: utcSeconds(inKolkata(date, start)), available: true }));

    beforeAll(async () => {
      // DAY: two windows; DAY+1: its weekly rule overridden as unavailable; DAY+2: a one-off window; DAY+3: nothing.
      host = await newHost({
        weekly: [
          { day: weekdayOf(DAY), start: '09:00', end: '12:00' },
          { day: weekdayOf(DAY), start: '14:00', end: '17:00' },
          { day: weekdayOf(plusDays(DAY, 1)), start: '09:00', end: '17:00' },
        ],
        date_overrides: [
          { date: plusDays(DAY, 1), unavailable: true },
          { date: plusDays(DAY, 2), start: '10:00', end: '12:00' },
        ],
      });
    });

    it('gives the host, the host’s zone and the slots cut from rules and overrides, without a token', async () => {
      const response = await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, 3)}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        host: { display_name: host.displayName, username: host.username, rate_per_minute: '2.50', window_size_minutes: 10 },
        timezone: 'Asia/Kolkata',
        slots: [
          ...expected(DAY, [
            ['09:00', '10:00'],
            ['10:00', '11:00'],
            ['11:00', '12:00'],
            ['14:00', '15:00'],
            ['15:00', '16:00'],
            ['16:00', '17:00'],
          ]),
          ...expected(plusDays(DAY, 2), [
            ['10:00', '11:00'],
            ['11:00', '12:00'],
          ]),
        ],
      });
    });

    it('shows the same slots in the zone asked for, echoing it, with dates of that zone', async () => {
      const tokyo = await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, 3)}&timezone=Asia/Tokyo`);
      expect(tokyo.status).toBe(200);
      expect(tokyo.body.timezone).toBe('Asia/Tokyo');
      // Tokyo is 3 h 30 min ahead of Kolkata.
      expect(
        tokyo.body.slots.map((slot: { date: string; start_time: string; end_time: string; start: string }) => [slot.date, slot.start_time, slot.end_time, slot.start]),
      ).toEqual([
        [DAY, '12:30', '13:30', utcSeconds(inKolkata(DAY, '09:00'))],
        [DAY, '13:30', '14:30', utcSeconds(inKolkata(DAY, '10:00'))],
        [DAY, '14:30', '15:30', utcSeconds(inKolkata(DAY, '11:00'))],
        [DAY, '17:30', '18:30', utcSeconds(inKolkata(DAY, '14:00'))],
        [DAY, '18:30', '19:30', utcSeconds(inKolkata(DAY, '15:00'))],
        [DAY, '19:30', '20:30', utcSeconds(inKolkata(DAY, '16:00'))],
        [plusDays(DAY, 2), '13:30', '14:30', utcSeconds(inKolkata(plusDays(DAY, 2), '10:00'))],
        [plusDays(DAY, 2), '14:30', '15:30', utcSeconds(inKolkata(plusDays(DAY, 2), '11:00'))],
      ]);

      // Honolulu (UTC−10, no DST) is 15 h 30 min behind: DAY's Kolkata slots fall mostly on the day before.
      const honolulu = (date: string) => slots(host.username, `start_date=${date}&end_date=${date}&timezone=Pacific/Honolulu`);
      const onDay = await honolulu(DAY);
      expect(onDay.body.timezone).toBe('Pacific/Honolulu');
      expect(onDay.body.slots).toEqual([{ date: DAY, start_time: '00:30', end_time: '01:30', start: utcSeconds(inKolkata(DAY, '16:00')), available: true }]);
      const dayBefore = await honolulu(plusDays(DAY, -1));
      expect(dayBefore.body.slots.map((slot: { date: string; start_time: string; end_time: string }) => [slot.date, slot.start_time, slot.end_time])).toEqual([
        [plusDays(DAY, -1), '17:30', '18:30'],
        [plusDays(DAY, -1), '18:30', '19:30'],
        [plusDays(DAY, -1), '19:30', '20:30'],
        [plusDays(DAY, -1), '22:30', '23:30'],
        [plusDays(DAY, -1), '23:30', '00:30'],
      ]);
    });

    it('marks past slots and slots inside the minimum notice unavailable', async () => {
      const noticeHost = await newHost({ timezone: 'UTC', weekly: WEEKDAY_NAMES.map((day) => ({ day, start: '00:00', end: '24:00' })), min_notice_minutes: 120 });
      const before = Date.now();
      const today = isoDate(before);
      const response = await slots(noticeHost.username, `start_date=${today}&end_date=${plusDays(today, 1)}`);
      const after = Date.now();
      expect(response.status).toBe(200);
      expect(response.body.timezone).toBe('UTC');
      const list: Array<{ start: string; available: boolean }> = response.body.slots;
      expect(list).toHaveLength(48);
      for (const slot of list) {
        const start = Date.parse(slot.start);
        if (start >= after + 120 * 60_000) expect([slot.start, slot.available]).toEqual([slot.start, true]);
        if (start < before + 120 * 60_000) expect([slot.start, slot.available]).toEqual([slot.start, false]);
      }
      expect(list.some((slot) => !slot.available)).toBe(true);
      expect(list.some((slot) => slot.available)).toBe(true);
    });

    it('marks a booked slot unavailable, and the slots its buffer touches', async () => {
      const bufferHost = await newHost({ buffer_minutes: 30 });
      const guest = await registerAccount(platform.api, 'user');
      expect(Object.values(await availableAt(bufferHost, DAY))).toEqual(Array(8).fill(true));
      await booked(guest, bufferHost, inKolkata(DAY, '10:00'));
      // Busy 10:00–11:30 (30 min buffer). 09:00 would run with its own buffer into 10:00; 11:00 starts inside the buffer.
      expect(await availableAt(bufferHost, DAY)).toEqual({
        '09:00': false,
        '10:00': false,
        '11:00': false,
        '12:00': true,
        '13:00': true,
        '14:00': true,
        '15:00': true,
        '16:00': true,
      });
      // What the slots say is what booking does.
      expect((await book(guest, bufferHost, inKolkata(DAY, '09:00'))).status).toBe(409);
      expect((await book(guest, bufferHost, inKolkata(DAY, '11:00'))).status).toBe(409);
      await booked(guest, bufferHost, inKolkata(DAY, '12:00'));
      expect(await availableAt(bufferHost, DAY)).toMatchObject({ '12:00': false, '13:00': false, '14:00': true });
    });

    it('refuses ranges over 62 days, reversed ranges and malformed dates or zones with 400', async () => {
      expect((await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, 61)}`)).status).toBe(200);
      expectValidationError(await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, 62)}`), 'end_date', '63 days');
      expectValidationError(await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, 400)}`), 'end_date', '401 days');
      expectValidationError(await slots(host.username, `start_date=${DAY}&end_date=${plusDays(DAY, -1)}`), 'end_date', 'reversed');
      const bad: Array<[string, string]> = [
        [`start_date=2026-3-15&end_date=${DAY}`, 'start_date'],
        [`start_date=tomorrow&end_date=${DAY}`, 'start_date'],
        [`start_date=${DAY}&end_date=2026-13-01`, 'end_date'],
        [`start_date=${DAY}&end_date=${DAY}T00:00:00Z`, 'end_date'],
        [`start_date=${DAY}`, 'end_date'],
        [`end_date=${DAY}`, 'start_date'],
        [`start_date=${DAY}&end_date=${DAY}&timezone=Mars/Base`, 'timezone'],
        [`start_date=${DAY}&end_date=${DAY}&sort=asc`, 'sort'],
      ];
      for (const [query, field] of bad) expectValidationError(await slots(host.username, query), field, query);
      const impossible = await slots(host.username, `start_date=2027-02-29&end_date=2027-03-01`);
      expect([impossible.status, impossible.body.error?.code]).toEqual([400, 'validation_error']);
    });

    it('answers 404 for an unknown username and for a user without availability', async () => {
      const query = `start_date=${DAY}&end_date=${DAY}`;
      const unknown = await slots('nobody_here', query);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
      const quietHost = await registerAccount(platform.api, 'host');
      expect((await slots(quietHost.username, query)).status).toBe(404);
      const user = await registerAccount(platform.api, 'user');
      expect((await slots(user.username, query)).status).toBe(404);
    });

    it('reads, in one statement, the confirmed bookings of the host that touch the range, in start order and to the millisecond', async () => {
      const hostId = '01SLOTSBUSYHOST00000000000';
      // Bookings of this host only touch the range from outside.
      const edgeHostId = '01SLOTSEDGEHOST00000000000';
      const range = { from: new Date(`${DAY}T00:00:00Z`), to: new Date(`${plusDays(DAY, 1)}T00:00:00Z`) };
      const at = (time: string) => `${DAY}T${time}Z`;
      // [id, host, starts, blocked until, status]; inserted out of order.
      const rows: Array<[string, string, string, string, string]> = [
        ['01', hostId, at('10:00:00'), at('10:30:00.123456'), 'confirmed'],
        ['02', hostId, `${plusDays(DAY, -1)}T23:00:00Z`, at('00:15:00'), 'confirmed'], // from the day before into the range
        ['03', edgeHostId, `${plusDays(DAY, -1)}T22:00:00Z`, at('00:00:00'), 'confirmed'], // ends where the range starts
        ['04', edgeHostId, `${plusDays(DAY, 1)}T00:00:00Z`, `${plusDays(DAY, 1)}T01:00:00Z`, 'confirmed'], // starts where it ends
        ['05', hostId, at('08:00:00.000999'), at('09:00:00'), 'confirmed'],
        ['06', hostId, at('12:00:00'), at('13:00:00'), 'cancelled'],
        ['07', '01SLOTSOTHERHOST0000000000', at('14:00:00'), at('15:00:00'), 'confirmed'],
        ['08', hostId, at('23:30:00'), `${plusDays(DAY, 1)}T00:30:00Z`, 'confirmed'], // past the end of the range
      ];
      for (const [id, host, start, blockedUntil, status] of rows) {
        await platform.sql.query(
          `INSERT INTO scheduling.bookings (id, host_id, host_name, guest_id, guest_name, scheduled_at, duration_minutes, ends_at, blocked_until, rate_cents, window_size_minutes, status, cancelled_at)
           VALUES ($1, $2, 'Host', '01SLOTSGUEST00000000000000', 'Guest', $3, 15, $3::timestamptz + interval '15 minutes', $4, 100, 10, $5, CASE WHEN $5 = 'cancelled' THEN now() END)`,
          [id.padStart(26, '0'), host, start, blockedUntil, status],
        );
      }
      const repository = platform.app.app.get(BookingsRepository, { strict: false });
      // What the driver makes of the same rows, read the plain way.
      const plain = async (host: string) =>
        (
          await platform.sql.query<{ scheduled_at: Date; blocked_until: Date }>(
            `SELECT scheduled_at, blocked_until FROM scheduling.bookings
              WHERE host_id = $1 AND status = 'confirmed' AND scheduled_at < $3 AND blocked_until > $2 ORDER BY scheduled_at`,
            [host, range.from, range.to],
          )
        ).rows.map((row) => ({ start: row.scheduled_at.getTime(), end: row.blocked_until.getTime() }));
      const busy = await repository.busy(hostId, range.from, range.to);
      expect(busy).toEqual(await plain(hostId));
      expect(await repository.busy(edgeHostId, range.from, range.to)).toEqual([]);
      expect(await plain(edgeHostId)).toEqual([]);
      expect(busy.map(({ start, end }) => [new Date(start).toISOString(), new Date(end).toISOString()])).toEqual([
        [`${plusDays(DAY, -1)}T23:00:00.000Z`, at('00:15:00.000')],
        [at('08:00:00.000'), at('09:00:00.000')],
        [at('10:00:00.000'), at('10:30:00.123')],
        [at('23:30:00.000'), `${plusDays(DAY, 1)}T00:30:00.000Z`],
      ]);
    });
  });

  describe('POST /v1/schedule/book', () => {
    it('books a span inside the availability and answers 201 with the booking', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const before = Date.now();
      const response = await book(guest, host, inKolkata(DAY, '14:00'), 30, '  Career coaching session  ');
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(ULID),
        status: 'confirmed',
        host: { id: host.id, display_name: host.displayName },
        guest: { id: guest.id, display_name: guest.displayName },
        scheduled_at: utcSeconds(inKolkata(DAY, '14:00')),
        duration_minutes: 30,
        note: 'Career coaching session',
        rate_per_minute: '2.50',
        window_size_minutes: 10,
        created_at: expect.stringMatching(ISO_SECONDS),
        cancelled_at: null,
        cancel_reason: null,
      });
      expect(Math.abs(Date.parse(response.body.created_at) - before)).toBeLessThan(5_000);
      const row = await platform.sql.query(`SELECT host_id, guest_id, status, scheduled_at, ends_at, blocked_until, rate_cents FROM scheduling.bookings WHERE id = $1`, [
        response.body.id,
      ]);
      expect(row.rows).toEqual([
        {
          host_id: host.id,
          guest_id: guest.id,
          status: 'confirmed',
          scheduled_at: new Date(inKolkata(DAY, '14:00')),
          ends_at: new Date(inKolkata(DAY, '14:30')),
          blocked_until: new Date(inKolkata(DAY, '14:30')),
          rate_cents: 250,
        },
      ]);
      // A span need not be one slot: 90 minutes across two slots inside one window is fine; an offset is read as the instant it names.
      const withOffset = await book(guest, host, `${DAY}T15:00:00${KOLKATA}`, 90);
      expect(withOffset.status).toBe(201);
      expect(withOffset.body.scheduled_at).toBe(utcSeconds(inKolkata(DAY, '15:00')));
    });

    it('refuses times outside the availability, in the past or inside the notice, bad durations and booking oneself', async () => {
      const host = await newHost({
        weekly: [
          { day: weekdayOf(DAY), start: '09:00', end: '12:00' },
          { day: weekdayOf(DAY), start: '14:00', end: '17:00' },
        ],
        date_overrides: [{ date: plusDays(DAY, 7), unavailable: true }],
      });
      const guest = await registerAccount(platform.api, 'user');
      const outside: Array<[number, number]> = [
        [inKolkata(DAY, '12:00'), 60], // between the windows
        [inKolkata(DAY, '11:30'), 60], // runs past the end of a window
        [inKolkata(DAY, '08:30'), 60], // starts before the window
        [inKolkata(DAY, '11:00'), 240], // spans the gap between two windows
        [inKolkata(plusDays(DAY, 1), '10:00'), 60], // a day without rules
        [inKolkata(plusDays(DAY, 7), '10:00'), 60], // the weekday, overridden as unavailable
      ];
      for (const [at, duration] of outside) expectValidationError(await book(guest, host, at, duration), 'scheduled_at', [utcSeconds(at), duration]);
      expectValidationError(await book(guest, host, Date.now() - DAY_MS), 'scheduled_at', 'yesterday');
      expectValidationError(await book(guest, host, Date.now() - 60_000), 'scheduled_at', 'a minute ago');
      for (const duration of [10, 14, 241, 300, 30.5]) expectValidationError(await book(guest, host, inKolkata(DAY, '09:00'), duration), 'duration_minutes', duration);
      for (const at of ['tomorrow', '2026-13-01T10:00:00Z', '2026-03-16 14:00']) expectValidationError(await book(guest, host, at), 'scheduled_at', at);
      const extra = await platform.api.post(
        '/v1/schedule/book',
        { host_username: host.username, scheduled_at: utcSeconds(inKolkata(DAY, '09:00')), duration_minutes: 60, room: 'blue' },
        { token: guest.token },
      );
      expectValidationError(extra, 'room', 'unknown field');

      const self = await book(host, host, inKolkata(DAY, '09:00'));
      expectValidationError(self, 'host_username', 'self');
      const unknown = await platform.api.post(
        '/v1/schedule/book',
        { host_username: 'nobody_here', scheduled_at: utcSeconds(inKolkata(DAY, '09:00')), duration_minutes: 60 },
        { token: guest.token },
      );
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
      const withoutAvailability = await registerAccount(platform.api, 'host');
      expectValidationError(await book(guest, withoutAvailability, inKolkata(DAY, '09:00')), 'scheduled_at', 'no availability');
      expect((await platform.api.post('/v1/schedule/book', { host_username: host.username, scheduled_at: utcSeconds(inKolkata(DAY, '09:00')), duration_minutes: 60 })).status).toBe(
        401,
      );

      // Minimum notice: a host available all day, every day, who needs a day's notice.
      const noticeHost = await newHost({ timezone: 'UTC', weekly: WEEKDAY_NAMES.map((day) => ({ day, start: '00:00', end: '24:00' })), min_notice_minutes: 24 * 60 });
      const soon = Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000;
      expectValidationError(await book(guest, noticeHost, soon, 30), 'scheduled_at', 'inside the notice');
      expect((await book(guest, noticeHost, soon + DAY_MS, 30)).status).toBe(201);

      const rows = await platform.sql.query(`SELECT count(*)::int AS n FROM scheduling.bookings WHERE host_id = ANY($1)`, [[host.id, withoutAvailability.id]]);
      expect(rows.rows[0].n).toBe(0);
    });

    it('lets exactly one of 30 parallel bookings of the same slot by 30 guests win; 29 get 409', async () => {
      const host = await newHost();
      const guests = await Promise.all(Array.from({ length: 30 }, () => registerAccount(platform.api, 'user')));
      const results = await Promise.all(guests.map((guest) => book(guest, host, inKolkata(DAY, '09:00'), 60)));
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
      expect(results.filter((result) => result.status === 409).every((result) => result.body.error?.code === 'conflict')).toBe(true);
      const winner = results.find((result) => result.status === 201)!.body;
      expect(await confirmedRows(host.id)).toEqual([{ id: winner.id, guest_id: winner.guest.id }]);
      const all = await platform.sql.query(`SELECT count(*)::int AS n FROM scheduling.bookings WHERE host_id = $1`, [host.id]);
      expect(all.rows[0].n).toBe(1);
    });

    it('lets exactly one of parallel overlapping but different spans win, the buffer counting as overlap', async () => {
      const host = await newHost({ slot_minutes: 15, buffer_minutes: 15 });
      // Pairwise in conflict: 14:00–15:00 (+15 buffer), 14:30–15:30, 14:45–15:00, and 15:00–15:30, which only the buffer after 14:00–15:00 blocks.
      const spans: Array<[string, number]> = [
        ['14:00', 60],
        ['14:30', 60],
        ['14:45', 15],
        ['15:00', 30],
      ];
      const guests = await Promise.all(Array.from({ length: 24 }, () => registerAccount(platform.api, 'user')));
      const results = await Promise.all(guests.map((guest, index) => book(guest, host, inKolkata(DAY, spans[index % spans.length][0]), spans[index % spans.length][1])));
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(23);
      const winner = results.find((result) => result.status === 201)!.body;
      expect(await confirmedRows(host.id)).toEqual([{ id: winner.id, guest_id: winner.guest.id }]);
    });

    it('treats the buffer as part of a booking on both sides, one request at a time', async () => {
      const host = await newHost({ slot_minutes: 15, buffer_minutes: 15 });
      const guest = await registerAccount(platform.api, 'user');
      const first = await booked(guest, host, inKolkata(DAY, '14:00'), 60);
      expect((await book(guest, host, inKolkata(DAY, '15:00'), 30)).status).toBe(409); // right after: inside the buffer
      expect((await book(guest, host, inKolkata(DAY, '15:10'), 30)).status).toBe(409);
      expect((await book(guest, host, inKolkata(DAY, '13:00'), 60)).status).toBe(409); // ends at 14:00, its own buffer runs into 14:00
      const after = await booked(guest, host, inKolkata(DAY, '15:15'), 30); // starts as the buffer ends
      const before = await booked(guest, host, inKolkata(DAY, '12:45'), 60); // 13:45 + 15 = 14:00
      expect((await confirmedRows(host.id)).map((row) => row.id)).toEqual([before.id, first.id, after.id]);
    });
  });

  describe('GET /v1/schedule/mine', () => {
    it('lists the bookings where the caller is host or guest, paged', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const otherGuest = await registerAccount(platform.api, 'user');
      const mineA = await booked(guest, host, inKolkata(DAY, '09:00'));
      const mineB = await booked(guest, host, inKolkata(DAY, '11:00'));
      const mineC = await booked(guest, host, inKolkata(DAY, '13:00'));
      const theirs = await booked(otherGuest, host, inKolkata(DAY, '15:00'));

      const guestPage = await platform.api.get('/v1/schedule/mine', { token: guest.token });
      expect(guestPage.status).toBe(200);
      expect(guestPage.body).toMatchObject({ page: 1, per_page: 20, total: 3 });
      expect(guestPage.body.data.map((booking: Booking) => booking.id).sort()).toEqual([mineA.id, mineB.id, mineC.id].sort());
      expect(guestPage.body.data.find((booking: Booking) => booking.id === mineA.id)).toEqual(mineA);

      const hostPage = await platform.api.get('/v1/schedule/mine?per_page=100', { token: host.token });
      expect(hostPage.body).toMatchObject({ page: 1, per_page: 100, total: 4 });
      expect(hostPage.body.data.map((booking: Booking) => booking.id).sort()).toEqual([mineA.id, mineB.id, mineC.id, theirs.id].sort());

      const first = await platform.api.get('/v1/schedule/mine?per_page=2', { token: guest.token });
      const second = await platform.api.get('/v1/schedule/mine?per_page=2&page=2', { token: guest.token });
      const third = await platform.api.get('/v1/schedule/mine?per_page=2&page=3', { token: guest.token });
      expect(first.body).toMatchObject({ page: 1, per_page: 2, total: 3 });
      expect(second.body).toMatchObject({ page: 2, per_page: 2, total: 3 });
      expect(third.body).toEqual({ data: [], page: 3, per_page: 2, total: 3 });
      expect(first.body.data).toHaveLength(2);
      expect(second.body.data).toHaveLength(1);
      expect([...first.body.data, ...second.body.data].map((booking: Booking) => booking.id).sort()).toEqual([mineA.id, mineB.id, mineC.id].sort());

      const nobody = await registerAccount(platform.api, 'user');
      expect((await platform.api.get('/v1/schedule/mine', { token: nobody.token })).body).toEqual({ data: [], page: 1, per_page: 20, total: 0 });
      for (const query of ['per_page=0', 'per_page=101', 'page=0', 'page=abc', 'per_page=-1', 'status=confirmed']) {
        const bad = await platform.api.get(`/v1/schedule/mine?${query}`, { token: guest.token });
        expect([query, bad.status, bad.body.error?.code]).toEqual([query, 400, 'validation_error']);
      }
      expect((await platform.api.get('/v1/schedule/mine')).status).toBe(401);
    });
  });

  describe('PUT /v1/schedule/:id/cancel', () => {
    it('lets either participant cancel once; others get 403, unknown ids 404; the slot opens again', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const stranger = await registerAccount(platform.api, 'user');
      const byGuest = await booked(guest, host, inKolkata(DAY, '10:00'));
      const byHost = await booked(guest, host, inKolkata(DAY, '12:00'));
      expect(await availableAt(host, DAY)).toMatchObject({ '10:00': false, '12:00': false });

      const forbidden = await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, { reason: 'Not mine' }, { token: stranger.token });
      expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'forbidden']);
      expect((await platform.api.put('/v1/schedule/01JN2X6M0P5H9SRBTXY8ZDKEFG/cancel', {}, { token: guest.token })).status).toBe(404);
      expect((await platform.api.put('/v1/schedule/not-a-booking/cancel', {}, { token: guest.token })).status).toBe(404);
      expectValidationError(await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, { reason: 42 }, { token: guest.token }), 'reason', 'numeric reason');
      expect((await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, {})).status).toBe(401);
      expect((await confirmedRows(host.id)).map((row) => row.id)).toEqual([byGuest.id, byHost.id]);

      const cancelled = await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, { reason: 'Schedule conflict' }, { token: guest.token });
      expect(cancelled.status).toBe(204);
      expect(cancelled.text).toBe('');
      const again = await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, { reason: 'Twice' }, { token: guest.token });
      expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
      expect((await platform.api.put(`/v1/schedule/${byGuest.id}/cancel`, {}, { token: host.token })).status).toBe(409);
      expect((await platform.api.put(`/v1/schedule/${byHost.id}/cancel`, undefined, { token: host.token })).status).toBe(204);

      const row = await platform.sql.query(`SELECT status, cancelled_by, cancel_reason, cancelled_at FROM scheduling.bookings WHERE id = $1`, [byGuest.id]);
      expect(row.rows[0]).toMatchObject({ status: 'cancelled', cancelled_by: guest.id, cancel_reason: 'Schedule conflict' });
      expect(row.rows[0].cancelled_at).toBeInstanceOf(Date);
      const listed = (await platform.api.get('/v1/schedule/mine', { token: guest.token })).body.data.find((booking: Booking) => booking.id === byGuest.id);
      expect(listed).toMatchObject({ status: 'cancelled', cancel_reason: 'Schedule conflict', cancelled_at: expect.stringMatching(ISO_SECONDS) });

      expect(await availableAt(host, DAY)).toMatchObject({ '10:00': true, '12:00': true });
      const rebooked = await booked(stranger, host, inKolkata(DAY, '10:00'));
      expect(await confirmedRows(host.id)).toEqual([{ id: rebooked.id, guest_id: stranger.id }]);
      expect(await availableAt(host, DAY)).toMatchObject({ '10:00': false });
    });
  });

  describe('GET /v1/schedule/:id/calendar', () => {
    it('gives participants an iCalendar VEVENT for the booking, cancelled once the booking is', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const stranger = await registerAccount(platform.api, 'user');
      const booking = await booked(guest, host, inKolkata(DAY, '14:00'), 45, 'Bring your CV');

      const download = async (token: string) => {
        const response = await platform.api.get(`/v1/schedule/${booking.id}/calendar`, { token });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/calendar\b/);
        expect(response.headers.get('content-disposition')).toBe('attachment; filename=vidivo-call.ics');
        const calendar = new ICAL.Component(ICAL.parse(response.text));
        expect(calendar.name).toBe('vcalendar');
        expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
        expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
        const events = calendar.getAllSubcomponents('vevent');
        expect(events).toHaveLength(1);
        return { event: events[0], text: response.text };
      };

      const { event, text } = await download(guest.token);
      expect(String(event.getFirstPropertyValue('uid'))).toContain(booking.id);
      const start = event.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>;
      const end = event.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time>;
      expect(start.zone?.tzid).toBe('UTC');
      expect(end.zone?.tzid).toBe('UTC');
      expect(start.toJSDate().toISOString()).toBe(new Date(booking.scheduled_at).toISOString());
      expect(end.toJSDate().getTime()).toBe(Date.parse(booking.scheduled_at) + 45 * 60_000);
      expect(text).toMatch(/^DTSTART:\d{8}T\d{6}Z\r?$/m);
      expect(text).toMatch(/^DTEND:\d{8}T\d{6}Z\r?$/m);
      expect(String(event.getFirstPropertyValue('summary'))).toContain(host.displayName);
      const description = String(event.getFirstPropertyValue('description'));
      expect(description).toContain('Bring your CV');
      expect(description).toContain(`https://vidivo.test/bookings/${booking.id}`);
      const organizer = event.getFirstProperty('organizer')!;
      expect(organizer).not.toBeNull();
      expect(`${String(organizer.getParameter('cn'))} ${String(organizer.getFirstValue())}`).toMatch(new RegExp(`${host.displayName}|${host.username}@example\\.com`));
      const attendees = event.getAllProperties('attendee');
      expect(attendees).toHaveLength(1);
      expect(`${String(attendees[0].getParameter('cn'))} ${String(attendees[0].getFirstValue())}`).toMatch(new RegExp(`${guest.displayName}|${guest.username}@example\\.com`));
      expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');

      expect((await download(host.token)).event.getFirstPropertyValue('status')).toBe('CONFIRMED');
      // The envelope is read from the text here; its Content-Type is the subject of the next test.
      const forbidden = await platform.api.get(`/v1/schedule/${booking.id}/calendar`, { token: stranger.token });
      expect([forbidden.status, JSON.parse(forbidden.text).error.code]).toEqual([403, 'forbidden']);
      const unknown = await platform.api.get(`/v1/schedule/01JN2X6M0P5H9SRBTXY8ZDKEFG/calendar`, { token: guest.token });
      expect([unknown.status, JSON.parse(unknown.text).error.code]).toEqual([404, 'not_found']);
      expect((await platform.api.get(`/v1/schedule/${booking.id}/calendar`)).status).toBe(401);

      expect((await platform.api.put(`/v1/schedule/${booking.id}/cancel`, {}, { token: host.token })).status).toBe(204);
      const cancelled = (await download(guest.token)).event;
      expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(String(cancelled.getFirstPropertyValue('uid'))).toBe(String(event.getFirstPropertyValue('uid')));
      expect(Number(cancelled.getFirstPropertyValue('sequence') ?? 0)).toBeGreaterThan(Number(event.getFirstPropertyValue('sequence') ?? 0));
    });

    it('keeps the exact start and end of a booking that does not begin on a whole minute', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const booking = await booked(guest, host, inKolkata(DAY, '09:00') + 30_000, 15);
      expect(booking.scheduled_at).toBe(utcSeconds(inKolkata(DAY, '09:00') + 30_000));
      const response = await platform.api.get(`/v1/schedule/${booking.id}/calendar`, { token: guest.token });
      const event = new ICAL.Component(ICAL.parse(response.text)).getFirstSubcomponent('vevent')!;
      expect((event.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>).toJSDate().toISOString()).toBe(new Date(booking.scheduled_at).toISOString());
      expect((event.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time>).toJSDate().getTime()).toBe(Date.parse(booking.scheduled_at) + 15 * 60_000);
    });

    it('answers refusals with the JSON error envelope, not as a calendar file (decision 2)', async () => {
      const host = await newHost();
      const guest = await registerAccount(platform.api, 'user');
      const stranger = await registerAccount(platform.api, 'user');
      const booking = await booked(guest, host, inKolkata(DAY, '10:00'));
      const refusals: Array<[string, string, number, string]> = [
        [`/v1/schedule/${booking.id}/calendar`, stranger.token, 403, 'forbidden'],
        ['/v1/schedule/01JN2X6M0P5H9SRBTXY8ZDKEFG/calendar', guest.token, 404, 'not_found'],
      ];
      for (const [path, token, status, code] of refusals) {
        const response = await platform.api.get(path, { token });
        expect([path, response.status, response.headers.get('content-type'), response.headers.get('content-disposition')]).toEqual([
          path,
          status,
          expect.stringMatching(/^application\/json\b/),
          null,
        ]);
        expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
      }
    });
  });
});
