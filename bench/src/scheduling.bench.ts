import { ALWAYS_OPEN_AVAILABILITY, HttpClient } from '@vidivo/testing';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { benchDataDir, startStandalone, underTest } from './standalone-server';
import { Samples, ms, runConcurrently, table, timed } from './stats';
import { ServerUsage } from './usage/server-usage';
import { IDLE_SECONDS, PerOperation, cpuMs, idleLine, trips } from './usage/usage';

const SEEDED_BOOKINGS = 10_000;
const QUERIES = 300;
const QUERY_CONCURRENCY = 8;
const BOOKING_ATTEMPTS = 400;
const CONTENDED_SLOTS = 40;

function expectStatus(step: string, status: number, wanted: number[]): void {
  if (!wanted.includes(status)) throw new Error(`${step} answered ${status}, expected ${wanted.join(' or ')}`);
}

/** Node CPU, Postgres CPU and round trips of a phase, per operation, as table cells. */
const usageCells = (usage: PerOperation) => [cpuMs(usage.nodeCpuMs), cpuMs(usage.postgresCpuMs), cpuMs(usage.stripeCpuMs), trips(usage.roundTrips)];
const USAGE_HEADERS = ['Node CPU ms/op', 'Postgres CPU ms/op', 'Stripe emulator CPU ms/op', 'round trips/op'];

/**
 * Slot queries for a host with 10,000 bookings over a year against a host with none, and booking
 * throughput when many guests want the same slots, on the built standalone process with its
 * embedded Postgres (seeded with one SQL statement), with the server's CPU and Postgres
 * statements per query and per booking attempt.
 */
export async function benchScheduling(): Promise<void> {
  const dataDir = benchDataDir();
  const server = await startStandalone(dataDir);
  const usage = await ServerUsage.attach(underTest(server));
  const api = new HttpClient(server.baseUrl);
  const sql = new Client({ connectionString: server.postgresUrl });
  try {
    await sql.connect();
    const busy = await newHost(api, 'busy_host');
    const free = await newHost(api, 'idle_host');

    // A year of 30-minute bookings for the busy host, spread evenly from tomorrow on.
    await sql.query(
      `INSERT INTO scheduling.bookings (id, host_id, host_name, guest_id, guest_name, scheduled_at, duration_minutes, ends_at, blocked_until, rate_cents, window_size_minutes)
       SELECT lpad(upper(to_hex(n)), 26, '0'), $1, 'Busy Host', lpad('G' || n, 26, '0'), 'Guest',
              date_trunc('hour', now()) + interval '1 day' + n * interval '52 minutes', 30,
              date_trunc('hour', now()) + interval '1 day' + n * interval '52 minutes' + interval '30 minutes',
              date_trunc('hour', now()) + interval '1 day' + n * interval '52 minutes' + interval '30 minutes', 100, 10
         FROM generate_series(1, $2) AS n`,
      [busy.id, SEEDED_BOOKINGS],
    );
    await sql.query('ANALYZE scheduling.bookings');
    await usage.drained();
    const idle = await usage.idle(IDLE_SECONDS);

    const week = rangeFromNow(30, 7);
    const twoMonths = rangeFromNow(30, 62);
    const rows: Array<Array<string | number>> = [];
    const ratios: string[] = [];
    for (const [label, range] of [
      ['7 days', week],
      ['62 days', twoMonths],
    ] as const) {
      const cpuPerQuery: Record<string, number> = {};
      for (const host of [busy, free]) {
        const samples = new Samples();
        const phase = await usage.measure(QUERIES, () =>
          runConcurrently(QUERIES, QUERY_CONCURRENCY, async () => {
            const response = await timed(samples, () => api.get(`/v1/schedule/${host.username}?start_date=${range.start}&end_date=${range.end}`));
            expectStatus('slots', response.status, [200]);
          }),
        );
        cpuPerQuery[host.username] = phase.usage.nodeCpuMs;
        rows.push([
          label,
          host === busy ? `${SEEDED_BOOKINGS.toLocaleString('en-US')} bookings` : 'no bookings',
          ((QUERIES * 1000) / phase.workMs).toFixed(0),
          `${ms(samples.percentile(50))} / ${ms(samples.percentile(99))}`,
          ...usageCells(phase.usage),
        ]);
      }
      ratios.push(`${label} ${(cpuPerQuery[busy.username] / cpuPerQuery[free.username]).toFixed(2)}×`);
    }
    console.log(
      `\nscheduling: slot queries (${QUERIES} per case, concurrency ${QUERY_CONCURRENCY}), host with ${SEEDED_BOOKINGS} bookings vs none; ` +
        `CPU = ms of CPU time (user + system, /proc/<pid>/stat) per query, of the server's Node process and of its Postgres cluster; round trips = statements our pools sent (db_queries_total) per query\n`,
    );
    console.log(table(['range', 'host', 'queries/s', 'p50 / p99 ms', ...USAGE_HEADERS], rows));
    console.log(`\nNode CPU per query, with bookings ÷ without: ${ratios.join(', ')}`);

    // Contention: guests race for the same few slots of the idle host.
    const guests = await Promise.all(Array.from({ length: 40 }, () => api.post('/v1/auth/guest', {}).then((response) => response.body.access_token as string)));
    const firstSlot = Date.parse(`${rangeFromNow(3, 1).start}T00:00:00Z`);
    const outcomes = { created: 0, conflict: 0 };
    const latency = new Samples();
    const booking = await usage.measure(
      BOOKING_ATTEMPTS,
      () =>
        runConcurrently(BOOKING_ATTEMPTS, 32, async (attempt) => {
          const slot = new Date(firstSlot + (attempt % CONTENDED_SLOTS) * 30 * 60_000).toISOString();
          const response = await timed(latency, () =>
            api.post('/v1/schedule/book', { host_username: free.username, scheduled_at: slot, duration_minutes: 30 }, { token: guests[attempt % guests.length] }),
          );
          expectStatus('book', response.status, [201, 409]);
          if (response.status === 201) outcomes.created++;
          else outcomes.conflict++;
        }),
      { drain: true },
    );
    console.log(
      `\nscheduling: ${BOOKING_ATTEMPTS} booking attempts on ${CONTENDED_SLOTS} slots by 40 guests, concurrency 32; per attempt, counted until the events of the bookings were handled\n`,
    );
    console.log(
      table(
        ['attempts/s', 'p50 / p99 ms', '201', '409', ...USAGE_HEADERS],
        [
          [
            ((BOOKING_ATTEMPTS * 1000) / booking.workMs).toFixed(1),
            `${ms(latency.percentile(50))} / ${ms(latency.percentile(99))}`,
            outcomes.created,
            outcomes.conflict,
            ...usageCells(booking.usage),
          ],
        ],
      ),
    );
    console.log(idleLine(idle));
    if (outcomes.created !== CONTENDED_SLOTS) throw new Error(`expected exactly ${CONTENDED_SLOTS} bookings, got ${outcomes.created}`);
  } finally {
    await sql.end().catch(() => undefined);
    await usage.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function newHost(api: HttpClient, username: string): Promise<{ id: string; username: string }> {
  const registered = await api.post('/v1/auth/register', { email: `${username}@example.com`, password: 'bench password', username, display_name: username, role: 'host' });
  expectStatus('register', registered.status, [201]);
  const token = registered.body.access_token;
  const availability = await api.put(
    '/v1/schedule/availability',
    { timezone: 'UTC', rate_per_minute: '1.00', window_size_minutes: 10, slot_minutes: 30, weekly: ALWAYS_OPEN_AVAILABILITY.weekly },
    { token },
  );
  expectStatus('availability', availability.status, [200]);
  return { id: registered.body.user.id, username };
}

function rangeFromNow(offsetDays: number, days: number): { start: string; end: string } {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  return { start: day(offsetDays), end: day(offsetDays + days - 1) };
}
