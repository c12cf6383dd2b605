import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerReading, readServer } from './soak/server-reading';
import { OPERATION_KINDS, OperationKind, SoakTraffic, noOperations } from './soak/traffic';
import { SOAK_RULES, SoakSample, soakVerdict } from './soak/verdict';
import { benchDataDir, startStandalone, underTest } from './standalone-server';
import { table } from './stats';
import { ServerUsage } from './usage/server-usage';
import { cpuMs, perOperation, trips } from './usage/usage';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
};

/** One soak interval: what the verdict judges, and what the table shows beside it. */
interface Interval extends SoakSample {
  endSeconds: number;
  byKind: Record<OperationKind, number>;
  heapUsedBytes: number;
  stripeCpuMs: number;
  roundTrips: number;
}

function interval(before: ServerReading, after: ServerReading, byKind: Record<OperationKind, number>, errors: number, endSeconds: number): Interval {
  const operations = OPERATION_KINDS.reduce((sum, kind) => sum + byKind[kind], 0);
  // perOperation over one "operation" gives the interval's totals, statements included.
  const used = perOperation(before, after, 1);
  return {
    endSeconds,
    operations,
    byKind,
    errors,
    rssKb: after.rssKb,
    heapUsedBytes: after.heapUsedBytes,
    nodeCpuMs: used.nodeCpuMs,
    postgresCpuMs: used.postgresCpuMs,
    stripeCpuMs: used.stripeCpuMs,
    roundTrips: used.roundTrips,
  };
}

const minuteSecond = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
const mb = (bytes: number) => (Number.isNaN(bytes) ? '-' : (bytes / 1024 / 1024).toFixed(1));
const per = (value: number, operations: number) => (operations > 0 ? value / operations : NaN);

/**
 * `npm run bench -- soak`: mixed traffic at a fixed rate against the built standalone process
 * (embedded Postgres, the Stripe emulator in a process of its own) for SOAK_MINUTES (30), sampled
 * every SOAK_SAMPLE_SECONDS (60): operations by kind, errors, the server's RSS and heap, CPU
 * and Postgres statements per operation. A verdict by fixed rules (soak/verdict.ts) ends it; a
 * failed rule makes the exit code 1. Only run when named: it is long.
 */
export async function benchSoak(): Promise<void> {
  const minutes = positive('SOAK_MINUTES', 30);
  const sampleSeconds = positive('SOAK_SAMPLE_SECONDS', 60);
  const workers = positive('SOAK_WORKERS', 4);
  const roundSeconds = positive('SOAK_ROUND_SECONDS', 4);
  const sampleCount = Math.max(1, Math.round((minutes * 60) / sampleSeconds));

  const dataDir = benchDataDir();
  // Access tokens outlive the run (15 minutes by default): the soak measures traffic, not re-logins.
  const server = await startStandalone(dataDir, { ACCESS_TOKEN_TTL_SECONDS: String(Math.ceil(minutes * 60) + 600) });
  const usage = await ServerUsage.attach(underTest(server));
  const pid = server.process.child.pid!;
  try {
    const traffic = await SoakTraffic.prepare(server.baseUrl, workers);
    console.log(
      `soak: ${minutes} min, ${workers} workers, each a round of ${OPERATION_KINDS.join(', ')} every ${roundSeconds} s; ` +
        `a sample every ${sampleSeconds} s (${sampleCount}); load average ${loadavg()[0].toFixed(1)}`,
    );

    const intervals: Interval[] = [];
    let before = await readServer(usage, pid, server.metricsUrl);
    let counted = { byKind: noOperations(), errors: 0 };
    const started = performance.now();
    const running = traffic.run(roundSeconds * 1000);
    try {
      for (let index = 1; index <= sampleCount; index++) {
        await sleep(started + index * sampleSeconds * 1000 - performance.now());
        const after = await readServer(usage, pid, server.metricsUrl);
        const now = { byKind: { ...traffic.completed }, errors: traffic.errors };
        const byKind = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, now.byKind[kind] - counted.byKind[kind]])) as Record<OperationKind, number>;
        const sample = interval(before, after, byKind, now.errors - counted.errors, (performance.now() - started) / 1000);
        intervals.push(sample);
        console.log(
          `  ${minuteSecond(sample.endSeconds)}: ${sample.operations} operations, ${sample.errors} errors, RSS ${mb(sample.rssKb * 1024)} MB, ` +
            `Node ${cpuMs(per(sample.nodeCpuMs, sample.operations))} ms/op, load average ${loadavg()[0].toFixed(1)}`,
        );
        [before, counted] = [after, now];
      }
    } finally {
      traffic.stop();
      await running;
    }
    report(intervals, { minutes, sampleSeconds, workers, roundSeconds });
  } finally {
    await usage.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(intervals: Interval[], run: { minutes: number; sampleSeconds: number; workers: number; roundSeconds: number }): void {
  const verdict = soakVerdict(intervals);
  console.log(
    `\nsoak: ${run.minutes} min of mixed traffic on standalone (embedded Postgres, Stripe emulator apart), ${run.workers} workers each starting a round every ${run.roundSeconds} s: ` +
      `a round is one of each operation (lifecycle = join → host-join → end with a test card; slots = GET /v1/schedule/:username for 7 and 62 days; book+cancel; ` +
      `signaling pair = a lifecycle with both sides connected to /signal/ws exchanging an offer, an answer and 20 ICE candidates before the end). ` +
      `Per interval of ${run.sampleSeconds} s: operations completed by kind, errors (non-2xx answers, exceptions), the server's VmRSS and V8 heap used at its end, ` +
      `CPU ms (user + system, /proc/<pid>/stat) per operation of the server's Node process, its Postgres cluster and the Stripe emulator, and statements sent (db_queries_total) per operation. ` +
      `The first ${verdict.warmupSamples} intervals are warm-up.\n`,
  );
  console.log(
    table(
      ['until', ...OPERATION_KINDS, 'errors', 'RSS MB', 'heap MB', 'Node CPU ms/op', 'Postgres CPU ms/op', 'Stripe emulator CPU ms/op', 'round trips/op'],
      intervals.map((sample, index) => [
        `${minuteSecond(sample.endSeconds)}${index < verdict.warmupSamples ? ' (warm-up)' : ''}`,
        ...OPERATION_KINDS.map((kind) => sample.byKind[kind]),
        sample.errors,
        mb(sample.rssKb * 1024),
        mb(sample.heapUsedBytes),
        cpuMs(per(sample.nodeCpuMs, sample.operations)),
        cpuMs(per(sample.postgresCpuMs, sample.operations)),
        cpuMs(per(sample.stripeCpuMs, sample.operations)),
        trips(per(sample.roundTrips, sample.operations)),
      ]),
    ),
  );
  console.log(
    `\nsoak verdict (warm-up = first ${SOAK_RULES.warmupShare * 100}% of the intervals): ${verdict.passed ? 'PASSED' : 'FAILED'}\n` +
      verdict.checks.map((check) => `  ${check.passed ? 'ok  ' : 'FAIL'} ${check.rule}: ${check.detail}`).join('\n'),
  );
  if (!verdict.passed) process.exitCode = 1;
}
