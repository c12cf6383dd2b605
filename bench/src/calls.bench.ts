import { HttpClient, HttpResponse } from '@vidivo/testing';
import { rmSync } from 'node:fs';
import { benchDataDir, startStandalone, underTest } from './standalone-server';
import { Samples, ms, runConcurrently, table, timed } from './stats';
import { ServerUsage } from './usage/server-usage';
import { IDLE_SECONDS, bySchema, cpuMs, idleLine, trips } from './usage/usage';

/** CALLS_BENCH_LEVELS=1,4 for a quick try. */
const LEVELS = (process.env.CALLS_BENCH_LEVELS ?? '1,4,16,64').split(',').map(Number);
const LIFECYCLES_PER_LEVEL = 200;
/** Lifecycles before anything is measured: JIT, pools and Postgres' caches warm up. */
const WARMUP_LIFECYCLES = 40;
/** The per-step breakdown: this many calls, each step for all of them before the next step. */
const BREAKDOWN_CALLS = 100;
const BREAKDOWN_CONCURRENCY = 4;

function expectStatus(step: string, response: HttpResponse, wanted: number): void {
  if (response.status !== wanted) throw new Error(`${step} answered ${response.status}, expected ${wanted}: ${JSON.stringify(response.body)}`);
}

/** The three requests of a call's life, as the host and an anonymous guest make them. */
class Lifecycle {
  constructor(
    private readonly api: HttpClient,
    private readonly shortCode: string,
    private readonly hostToken: string,
  ) {}

  async join(samples?: Samples): Promise<string> {
    const send = () => this.api.post(`/v1/calls/join/${this.shortCode}`, { payment_method_id: 'pm_card_visa' });
    const joined = samples ? await timed(samples, send) : await send();
    expectStatus('join', joined, 201);
    return joined.body.call.id;
  }

  async hostJoin(callId: string, samples?: Samples): Promise<void> {
    const send = () => this.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: this.hostToken });
    expectStatus('host-join', samples ? await timed(samples, send) : await send(), 201);
  }

  async end(callId: string, samples?: Samples): Promise<void> {
    const send = () => this.api.post(`/v1/calls/${callId}/end`, {}, { token: this.hostToken });
    expectStatus('end', samples ? await timed(samples, send) : await send(), 200);
  }

  async run(samples?: { join: Samples; hostJoin: Samples; end: Samples }): Promise<void> {
    const callId = await this.join(samples?.join);
    await this.hostJoin(callId, samples?.hostJoin);
    await this.end(callId, samples?.end);
  }
}

const p50p99 = (samples: Samples) => `${ms(samples.percentile(50))} / ${ms(samples.percentile(99))}`;

/**
 * Full call lifecycles (join → host-join → end) against the built standalone process, with its
 * embedded Postgres and bundled Stripe emulator, at rising concurrency. GET /health/live on the same
 * server at the same concurrency is the baseline: what the HTTP stack alone costs. Beside the
 * latencies: the server's CPU per operation (Node and Postgres apart) and the Postgres statements
 * per operation, counted by db_queries_total; then each step of a lifecycle on its own.
 */
export async function benchCalls(): Promise<void> {
  const dataDir = benchDataDir();
  const server = await startStandalone(dataDir);
  const usage = await ServerUsage.attach(underTest(server));
  const api = new HttpClient(server.baseUrl);
  try {
    const host = await api.post('/v1/auth/register', {
      email: 'bench-host@example.com',
      password: 'bench password',
      username: 'bench_host',
      display_name: 'Bench Host',
      role: 'host',
    });
    expectStatus('register', host, 201);
    const hostToken: string = host.body.access_token;
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 10 }, { token: hostToken });
    expectStatus('create link', link, 201);
    const lifecycle = new Lifecycle(api, link.body.short_code, hostToken);

    await runConcurrently(WARMUP_LIFECYCLES, 4, () => lifecycle.run());
    await usage.drained();
    const idle = await usage.idle(IDLE_SECONDS);

    const rows: Array<Array<string | number>> = [];
    for (const concurrency of LEVELS) {
      const health = new Samples();
      const healthRequests = LIFECYCLES_PER_LEVEL * 3;
      const healthPhase = await usage.measure(healthRequests, () =>
        runConcurrently(healthRequests, concurrency, async () => {
          await timed(health, () => fetch(`${api.baseUrl}/health/live`).then((r) => r.text()));
        }),
      );

      const samples = { join: new Samples(), hostJoin: new Samples(), end: new Samples() };
      const lifecycles = await usage.measure(LIFECYCLES_PER_LEVEL, () => runConcurrently(LIFECYCLES_PER_LEVEL, concurrency, () => lifecycle.run(samples)), { drain: true });

      rows.push([
        concurrency,
        ((LIFECYCLES_PER_LEVEL * 1000) / lifecycles.workMs).toFixed(1),
        p50p99(samples.join),
        p50p99(samples.hostJoin),
        p50p99(samples.end),
        cpuMs(lifecycles.usage.nodeCpuMs),
        cpuMs(lifecycles.usage.postgresCpuMs),
        cpuMs(lifecycles.usage.stripeCpuMs),
        trips(lifecycles.usage.roundTrips),
        ((healthRequests * 1000) / healthPhase.workMs).toFixed(0),
        p50p99(health),
        cpuMs(healthPhase.usage.nodeCpuMs),
      ]);
      console.log(`concurrency ${concurrency} done; round trips per lifecycle by schema: ${bySchema(lifecycles.usage)}`);
    }

    const breakdown = await measureSteps(usage, lifecycle);

    console.log(
      `\ncalls: ${LIFECYCLES_PER_LEVEL} lifecycles per level after ${WARMUP_LIFECYCLES} to warm up, standalone (embedded Postgres, Stripe emulator); ` +
        `latencies in ms (p50 / p99); CPU = ms of CPU time (user + system, /proc/<pid>/stat) per lifecycle or request, of the server's Node process, of its Postgres cluster and of the Stripe emulator (a process of its own here); ` +
        `round trips = statements our pools sent (db_queries_total) per lifecycle, counted until the events of the lifecycles (settlement included) were handled\n`,
    );
    console.log(
      table(
        [
          'concurrency',
          'lifecycles/s',
          'join',
          'host-join',
          'end',
          'Node CPU ms/lifecycle',
          'Postgres CPU ms/lifecycle',
          'Stripe emulator CPU ms/lifecycle',
          'round trips/lifecycle',
          'health req/s',
          'health/live',
          'Node CPU ms/health',
        ],
        rows,
      ),
    );
    console.log(
      `\ncalls, step by step: ${BREAKDOWN_CALLS} calls at concurrency ${BREAKDOWN_CONCURRENCY}, each step for every call before the next; ` +
        `"by the answer" = counted until the last response of the step, "with its events" = until every outbox was drained (end: the settlement); ` +
        `the idle background (${trips(idle.roundTrips)} statements/s) is counted in too\n`,
    );
    console.log(
      table(
        [
          'step',
          'p50 / p99 ms',
          'Node CPU ms/op',
          'Postgres CPU ms/op',
          'Stripe emulator CPU ms/op',
          'round trips/op by the answer',
          'round trips/op with its events',
          'by schema (with its events)',
        ],
        breakdown.map(({ step, samples, measured }) => [
          step,
          p50p99(samples),
          cpuMs(measured.usage.nodeCpuMs),
          cpuMs(measured.usage.postgresCpuMs),
          cpuMs(measured.usage.stripeCpuMs),
          trips(measured.answered!.roundTrips),
          trips(measured.usage.roundTrips),
          bySchema(measured.usage),
        ]),
      ),
    );
    const total = breakdown.reduce((sum, { measured }) => sum + measured.usage.roundTrips, 0);
    console.log(`\nstep by step, a whole lifecycle: ${trips(total)} round trips`);
    console.log(idleLine(idle));
  } finally {
    await usage.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Join every call, then host-join every call, then end every call, each step measured with the events it set off. */
async function measureSteps(usage: ServerUsage, lifecycle: Lifecycle) {
  const callIds: string[] = [];
  const step = async (name: string, work: (index: number, samples: Samples) => Promise<void>) => {
    const samples = new Samples();
    const measured = await usage.measure(BREAKDOWN_CALLS, () => runConcurrently(BREAKDOWN_CALLS, BREAKDOWN_CONCURRENCY, (index) => work(index, samples)), { drain: true });
    return { step: name, samples, measured };
  };
  return [
    await step('join', async (index, samples) => {
      callIds[index] = await lifecycle.join(samples);
    }),
    await step('host-join', (index, samples) => lifecycle.hostJoin(callIds[index], samples)),
    await step('end+settle', (index, samples) => lifecycle.end(callIds[index], samples)),
  ];
}
