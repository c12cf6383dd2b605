import { HttpClient } from '@vidivo/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone } from './standalone-server';
import { Samples, ms, runConcurrently, table, timed } from './stats';

const LEVELS = [1, 4, 16, 64];
const LIFECYCLES_PER_LEVEL = 200;

function expectStatus(step: string, status: number, wanted: number): void {
  if (status !== wanted) throw new Error(`${step} answered ${status}, expected ${wanted}`);
}

/**
 * Full call lifecycles (join → host-join → end) against the built standalone process, with its
 * embedded Postgres and bundled Stripe emulator, at rising concurrency. GET /health/live on the same
 * server at the same concurrency is the baseline: what the HTTP stack alone costs.
 */
export async function benchCalls(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vidivo-bench-'));
  const server = await startStandalone(dataDir);
  const api = new HttpClient(server.baseUrl);
  try {
    const host = await api.post('/v1/auth/register', {
      email: 'bench-host@example.com',
      password: 'bench password',
      username: 'bench_host',
      display_name: 'Bench Host',
      role: 'host',
    });
    expectStatus('register', host.status, 201);
    const hostToken: string = host.body.access_token;
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 10 }, { token: hostToken });
    expectStatus('create link', link.status, 201);

    const rows: Array<Array<string | number>> = [];
    for (const concurrency of LEVELS) {
      const health = new Samples();
      const healthMs = await runConcurrently(LIFECYCLES_PER_LEVEL * 3, concurrency, async () => {
        const response = await timed(health, () => fetch(`${api.baseUrl}/health/live`).then((r) => r.text()));
        void response;
      });

      const [joinSamples, hostJoinSamples, endSamples] = [new Samples(), new Samples(), new Samples()];
      const lifecycleMs = await runConcurrently(LIFECYCLES_PER_LEVEL, concurrency, async () => {
        const joined = await timed(joinSamples, () => api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' }));
        expectStatus('join', joined.status, 201);
        const callId = joined.body.call.id;
        expectStatus('host-join', (await timed(hostJoinSamples, () => api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken }))).status, 201);
        expectStatus('end', (await timed(endSamples, () => api.post(`/v1/calls/${callId}/end`, {}, { token: hostToken }))).status, 200);
      });

      rows.push([
        concurrency,
        ((LIFECYCLES_PER_LEVEL * 1000) / lifecycleMs).toFixed(1),
        `${ms(joinSamples.percentile(50))} / ${ms(joinSamples.percentile(99))}`,
        `${ms(hostJoinSamples.percentile(50))} / ${ms(hostJoinSamples.percentile(99))}`,
        `${ms(endSamples.percentile(50))} / ${ms(endSamples.percentile(99))}`,
        ((health.count * 1000) / healthMs).toFixed(0),
        `${ms(health.percentile(50))} / ${ms(health.percentile(99))}`,
      ]);
      console.log(`concurrency ${concurrency} done`);
    }
    console.log(`\ncalls: ${LIFECYCLES_PER_LEVEL} lifecycles per level, standalone (embedded Postgres, Stripe emulator), latencies in ms (p50 / p99)\n`);
    console.log(table(['concurrency', 'lifecycles/s', 'join', 'host-join', 'end', 'health req/s', 'health/live'], rows));
  } finally {
    await server.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
