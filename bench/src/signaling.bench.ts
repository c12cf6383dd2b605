import { HttpClient, HttpResponse, NodeProcess, freePort, spawnNode, waitForHttp } from '@vidivo/testing';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BurstResult, ConnectedPair, MESSAGES_PER_PAIR, PairUrls, burst, closePairs, connectPairs } from './signaling/load';
import { benchDataDir, startStandalone } from './standalone-server';
import { ms, runConcurrently, table } from './stats';
import { readVmRssKb } from './usage/process-memory';
import { readProcessTable } from './usage/proc-stat';
import { ServerUsage } from './usage/server-usage';
import { PerOperation, cpuMs as cpuCell, cpuReading, serverCpuTicks, trips } from './usage/usage';

/** Pairs (two peers each) connected at once per level; SIGNALING_BENCH_PAIRS=10,50 for a quick try. */
const LEVELS = (process.env.SIGNALING_BENCH_PAIRS ?? '100,500,2500').split(',').map(Number);
/**
 * Before a fresh server is measured, this many pairs connect, exchange a burst and drop, again and
 * again: JIT, the database pool and Postgres' caches warm up (the first few hundred connects are
 * several times slower), while only a few peers at a time grow the heap the measured ones move into.
 */
const WARMUP_PAIRS = 25;
const WARMUP_CYCLES = 10;
/** Pairs being opened at the same time during the connect phase. */
const CONNECT_CONCURRENCY = 100;
/** Bursts per level on the same connections; the median one is reported (5 × 11 messages stay under the per-connection burst of 100). */
const BURST_ROUNDS = 5;
/** Concurrent REST joins while creating the calls. */
const CREATE_CONCURRENCY = 16;
/** Signaling tokens are good for connecting for 5 minutes: mint new ones past 4. */
const TOKEN_REFRESH_AFTER_MS = 240_000;

interface CallTokens {
  callId: string;
  guestAccess: string;
  guest: string;
  host: string;
  issuedAt: number;
}

interface Server {
  process: NodeProcess;
  httpUrl: string;
  /** Ours only: the raw relay has no /metrics. */
  metricsUrl?: string;
  pairUrls(calls: CallTokens[], tag: string): PairUrls[];
}

interface Measured {
  peersPerSecond: number;
  p50: number;
  p99: number;
  messagesPerSecond: number;
  /** Server CPU time per relayed message over all bursts: unlike messages/s, barely moved by other load on the machine. */
  cpuUsPerMessage: number;
  /** Server CPU time, Postgres CPU time and Postgres statements per connected peer. */
  connectPerPeer: PerOperation;
  roundTripsPerMessage: number;
  kbPerPeer: number;
  detail: string;
}

function expectStatus(step: string, status: number, wanted: number, body?: unknown): void {
  if (status !== wanted) throw new Error(`${step} answered ${status}, expected ${wanted}: ${JSON.stringify(body)}`);
}

/** The 1-minute load average: above the core count, other work competes with what is measured. */
const loadAverage = () => loadavg()[0].toFixed(1);

/** The soft limit on open files of this process (children inherit it). */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.trim().split(/\s+/)[3]) || Number.POSITIVE_INFINITY;
}

/** CPU time (user + system, every thread) of a process in ms, and of the Postgres cluster it started (none for the raw relay). */
function cpuMs(pid: number): { own: number; postgres: number } {
  const reading = cpuReading(serverCpuTicks(readProcessTable(), pid));
  return { own: reading.nodeCpuMs, postgres: Number.isNaN(reading.postgresCpuMs) ? 0 : reading.postgresCpuMs };
}

/** Time the main thread of a process waited for a core while runnable, in ms (other load on the machine). */
function runQueueWaitMs(pid: number | 'self'): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

interface CpuUse {
  wallMs: number;
  serverMs: number;
  serverWaitMs: number;
  postgresMs: number;
  benchMs: number;
  benchWaitMs: number;
}

/** CPU used by the server (and its Postgres) and by this client process while `work` runs, in ms (shown as % of one core). */
async function withCpu<T>(pid: number, use: CpuUse, work: () => Promise<T>): Promise<T> {
  const bench = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const [wall, server, serverWait, client, clientWait] = [performance.now(), cpuMs(pid), runQueueWaitMs(pid), bench(), runQueueWaitMs('self')];
  const result = await work();
  const serverAfter = cpuMs(pid);
  use.wallMs += performance.now() - wall;
  use.serverMs += serverAfter.own - server.own;
  use.serverWaitMs += runQueueWaitMs(pid) - serverWait;
  use.postgresMs += serverAfter.postgres - server.postgres;
  use.benchMs += bench() - client;
  use.benchWaitMs += runQueueWaitMs('self') - clientWait;
  return result;
}

const newCpuUse = (): CpuUse => ({ wallMs: 0, serverMs: 0, serverWaitMs: 0, postgresMs: 0, benchMs: 0, benchWaitMs: 0 });
const share = (ms: number, wallMs: number) => `${((100 * ms) / wallMs).toFixed(0)}%`;
/** "% of one core" for each process; "waiting" is how long its main thread was runnable but had no core. */
const cpuShares = (use: CpuUse) =>
  `CPU: server ${share(use.serverMs, use.wallMs)} (waiting ${share(use.serverWaitMs, use.wallMs)})` +
  `${use.postgresMs > 0 ? ` + Postgres ${share(use.postgresMs, use.wallMs)}` : ''}, bench ${share(use.benchMs, use.wallMs)} (waiting ${share(use.benchWaitMs, use.wallMs)})`;

async function startOurs(dataDir: string): Promise<Server> {
  // The calls are created minutes before their peers connect: they must not end abandoned meanwhile (CALL_ABANDON_SECONDS).
  // The emulator inside standalone: the measured phases do not reach Stripe.
  const { process: child, port, metricsUrl } = await startStandalone(dataDir, { CALL_ABANDON_SECONDS: '0' }, { stripe: 'bundled' });
  const url = (token: string) => `ws://127.0.0.1:${port}/signal/ws?token=${encodeURIComponent(token)}`;
  return { process: child, httpUrl: `http://127.0.0.1:${port}`, metricsUrl, pairUrls: (calls) => calls.map((call) => ({ guest: url(call.guest), host: url(call.host) })) };
}

async function startBaseline(): Promise<Server> {
  const port = await freePort();
  const child = spawnNode('raw-relay', resolve(__dirname, 'signaling/raw-relay.js'), { PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/`, [child]);
  const url = (room: string) => `ws://127.0.0.1:${port}/${room}`;
  return { process: child, httpUrl: `http://127.0.0.1:${port}`, pairUrls: (calls, tag) => calls.map((_, i) => ({ guest: url(`${tag}-${i}`), host: url(`${tag}-${i}`) })) };
}

/** A REST step, tried again when the server answers 5xx (a bus timeout on a busy machine). */
async function withRetry(step: string, wanted: number, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    if (response.status < 500 || attempt === 3) {
      expectStatus(step, response.status, wanted, response.body);
      return response;
    }
  }
}

/**
 * Calls to connect to: one link, an anonymous join (guest token, guest signaling token) and a
 * host-join (host signaling token) per call. Each pair needs its own call: a second socket for the
 * same participant replaces the first.
 */
async function createCalls(api: HttpClient, count: number): Promise<{ hostToken: string; calls: CallTokens[] }> {
  const host = await api.post('/v1/auth/register', {
    email: 'bench-signaling@example.com',
    password: 'bench password',
    username: 'bench_signaling',
    display_name: 'Bench Host',
    role: 'host',
  });
  expectStatus('register', host.status, 201, host.body);
  const hostToken: string = host.body.access_token;
  const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 10 }, { token: hostToken });
  expectStatus('create link', link.status, 201, link.body);

  const calls: CallTokens[] = new Array(count);
  let done = 0;
  const started = performance.now();
  await runConcurrently(count, CREATE_CONCURRENCY, async (index) => {
    const joined = await withRetry('join', 201, () => api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' }));
    const callId: string = joined.body.call.id;
    let hostJoin = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken });
    // A host-join that timed out may still have gone through (409 on the retry): then only ask for a token.
    if (hostJoin.status >= 500 || hostJoin.status === 409)
      hostJoin = await withRetry('host signaling-token', 201, () => api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: hostToken }));
    expectStatus('host-join', hostJoin.status, 201, hostJoin.body);
    calls[index] = { callId, guestAccess: joined.body.guest_token, guest: joined.body.signaling_token, host: hostJoin.body.signaling_token, issuedAt: Date.now() };
    if (++done % 500 === 0) console.log(`  ${done} of ${count} calls created`);
  });
  console.log(`  ${count} calls created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { hostToken, calls };
}

/** New signaling tokens for calls whose tokens are close to the end of their connect window. */
async function refreshTokens(api: HttpClient, hostToken: string, calls: CallTokens[]): Promise<void> {
  const stale = calls.filter((call) => Date.now() - call.issuedAt > TOKEN_REFRESH_AFTER_MS);
  if (stale.length === 0) return;
  await runConcurrently(stale.length, CREATE_CONCURRENCY, async (index) => {
    const call = stale[index];
    const [guest, host] = await Promise.all([
      withRetry('guest signaling-token', 201, () => api.post(`/v1/calls/${call.callId}/signaling-token`, undefined, { token: call.guestAccess })),
      withRetry('host signaling-token', 201, () => api.post(`/v1/calls/${call.callId}/signaling-token`, undefined, { token: hostToken })),
    ]);
    Object.assign(call, { guest: guest.body.signaling_token, host: host.body.signaling_token, issuedAt: Date.now() });
  });
  console.log(`  ${stale.length} calls got fresh signaling tokens`);
}

/** One server under test during a level, and what was measured of it. */
class Subject {
  readonly pid: number;
  pairs: ConnectedPair[] = [];
  connectMs = 0;
  rss: { idle: number; connected: number; afterBursts: number } = { idle: 0, connected: 0, afterBursts: 0 };
  readonly rounds: BurstResult[] = [];
  readonly connectCpu = newCpuUse();
  readonly burstCpu = newCpuUse();
  connectUsage?: PerOperation;
  burstRoundTrips = 0;
  private usage?: ServerUsage;

  constructor(
    readonly name: string,
    readonly server: Server,
    readonly urls: PairUrls[],
    readonly warmupUrls: (cycle: number) => PairUrls[],
  ) {
    this.pid = server.process.child.pid!;
  }

  async warmUp(): Promise<void> {
    for (let cycle = 0; cycle < WARMUP_CYCLES; cycle++) {
      const warm = await connectPairs(this.warmupUrls(cycle), CONNECT_CONCURRENCY);
      await burst(warm.pairs);
      await closePairs(warm.pairs);
      await sleep(200); // the server sees the closes before the same participants connect again
    }
  }

  async connect(): Promise<void> {
    this.rss.idle = readVmRssKb(this.pid);
    this.usage = await ServerUsage.attach({ pid: this.pid, metricsUrl: this.server.metricsUrl });
    const measured = await this.usage.measure(this.urls.length * 2, () => withCpu(this.pid, this.connectCpu, () => connectPairs(this.urls, CONNECT_CONCURRENCY)));
    this.connectUsage = measured.usage;
    this.pairs = measured.result.pairs;
    this.connectMs = measured.result.ms;
  }

  async burst(): Promise<void> {
    const measured = await this.usage!.measure(1, () => withCpu(this.pid, this.burstCpu, () => burst(this.pairs)));
    this.rounds.push(measured.result);
    this.burstRoundTrips += measured.usage.roundTrips;
  }

  summary(): Measured {
    // The median round by throughput: a round slowed by something else on the machine does not decide.
    const median = [...this.rounds].sort((a, b) => a.messages / a.ms - b.messages / b.ms)[Math.floor(this.rounds.length / 2)];
    const messages = this.rounds.reduce((sum, round) => sum + round.messages, 0);
    const peers = this.pairs.length * 2;
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    return {
      peersPerSecond: (peers * 1000) / this.connectMs,
      p50: median.latency.percentile(50),
      p99: median.latency.percentile(99),
      messagesPerSecond: (median.messages * 1000) / median.ms,
      cpuUsPerMessage: (this.burstCpu.serverMs * 1000) / messages,
      connectPerPeer: this.connectUsage!,
      roundTripsPerMessage: this.burstRoundTrips / messages,
      kbPerPeer: (this.rss.connected - this.rss.idle) / peers,
      detail:
        `connect ${this.connectMs.toFixed(0)} ms (${cpuShares(this.connectCpu)}); ` +
        `bursts of ${median.messages} msgs in ${this.rounds.map((r) => r.ms.toFixed(0)).join(' / ')} ms (${cpuShares(this.burstCpu)}); ` +
        `RSS ${mb(this.rss.idle)} → ${mb(this.rss.connected)} MB connected → ${mb(this.rss.afterBursts)} MB after the bursts`,
    };
  }
}

/**
 * Both servers side by side, phase by phase, so that whatever else runs on the machine falls on
 * both alike: warm-up, RSS, connect every pair (ours, then the baseline), RSS, bursts taking
 * turns, then drop everything.
 */
async function measureLevel(subjects: Subject[]): Promise<void> {
  for (const subject of subjects) await subject.warmUp();
  await sleep(1000);
  for (const subject of subjects) await subject.connect();
  await sleep(500);
  for (const subject of subjects) subject.rss.connected = readVmRssKb(subject.pid);
  for (let round = 0; round < BURST_ROUNDS; round++) {
    for (const subject of subjects) {
      await sleep(200);
      await subject.burst();
    }
  }
  for (const subject of subjects) {
    subject.rss.afterBursts = readVmRssKb(subject.pid);
    await closePairs(subject.pairs);
  }
}

/**
 * Our signaling server (the built standalone process) against a raw `ws` relay in its own
 * process, under the same load: connect N pairs, then per pair an offer, an answer and ICE
 * candidates both ways. Each level starts both servers afresh, so RSS deltas start clean, and
 * measures them side by side (see measureLevel).
 */
export async function benchSignaling(): Promise<void> {
  const benchStarted = performance.now();
  const loadAtStart = loadAverage();
  const fileLimit = openFileLimit();
  // Both servers are connected at once: four sockets per pair in this process, two in each server.
  const maxPairs = Math.floor((fileLimit - 512) / 4);
  const levels = LEVELS.map((pairs) => Math.min(pairs, maxPairs));
  if (levels.some((pairs, i) => pairs !== LEVELS[i])) console.log(`ulimit -n is ${fileLimit}: levels capped at ${maxPairs} pairs`);
  const totalCalls = Math.max(...levels) + WARMUP_PAIRS;

  const dataDir = benchDataDir();
  let ours: Server | undefined;
  let baseline: Server | undefined;
  try {
    console.log(`signaling: creating ${totalCalls} calls through REST`);
    ours = await startOurs(dataDir);
    const { hostToken, calls } = await createCalls(new HttpClient(ours.httpUrl), totalCalls);
    await ours.process.stop();
    ours = undefined;
    const warmup = calls.slice(totalCalls - WARMUP_PAIRS);

    const rows: Array<Array<string | number>> = [];
    for (const pairs of levels) {
      ours = await startOurs(dataDir);
      await refreshTokens(new HttpClient(ours.httpUrl), hostToken, [...calls.slice(0, pairs), ...warmup]);
      baseline = await startBaseline();
      const subjects = [
        new Subject('ours', ours, ours.pairUrls(calls.slice(0, pairs), 'room'), (cycle) => ours!.pairUrls(warmup, `warmup${cycle}`)),
        new Subject('baseline', baseline, baseline.pairUrls(calls.slice(0, pairs), 'room'), (cycle) => baseline!.pairUrls(warmup, `warmup${cycle}`)),
      ];
      await measureLevel(subjects);
      await ours.process.stop();
      await baseline.process.stop();
      [ours, baseline] = [undefined, undefined];
      const [o, b] = subjects.map((subject) => subject.summary());
      console.log(`  ${pairs} pairs, ours: ${o.detail}\n  ${pairs} pairs, baseline: ${b.detail}`);

      rows.push([
        `${pairs * 2} (${pairs} pairs)`,
        `${o.peersPerSecond.toFixed(0)} / ${b.peersPerSecond.toFixed(0)}`,
        `${ms(o.p50)} / ${ms(o.p99)}`,
        `${ms(b.p50)} / ${ms(b.p99)}`,
        `${o.messagesPerSecond.toFixed(0)} / ${b.messagesPerSecond.toFixed(0)}`,
        `${o.cpuUsPerMessage.toFixed(1)} / ${b.cpuUsPerMessage.toFixed(1)}`,
        `${cpuCell(o.connectPerPeer.nodeCpuMs)} / ${cpuCell(b.connectPerPeer.nodeCpuMs)}`,
        cpuCell(o.connectPerPeer.postgresCpuMs),
        trips(o.connectPerPeer.roundTrips),
        o.roundTripsPerMessage.toFixed(2),
        `${o.kbPerPeer.toFixed(1)} / ${b.kbPerPeer.toFixed(1)}`,
        `${(o.messagesPerSecond / b.messagesPerSecond).toFixed(2)}×`,
        `${(o.p50 / b.p50).toFixed(2)}×`,
      ]);
    }

    console.log(
      `\nsignaling: ours = built standalone process (/signal/ws, embedded Postgres), baseline = raw \`ws\` relay process; ` +
        `per pair 1 offer + 1 answer (~3 KB) + ${MESSAGES_PER_PAIR - 2} ICE candidates (~200 B), all pairs at once, median of ${BURST_ROUNDS} bursts (ours and baseline taking turns); ` +
        `connect = until both sides heard peer_joined, ${CONNECT_CONCURRENCY} pairs opening at a time; CPU µs/msg = server CPU time (user + system, /proc/<pid>/stat) during the bursts / messages relayed; CPU ms per peer = the same during the connect phase / peers connected (Postgres = its embedded cluster); round trips = statements our pools sent (db_queries_total) / peers connected or messages relayed; KB/peer = server VmRSS growth / connected peers\n`,
    );
    console.log(
      table(
        [
          'peers',
          'connect peers/s (ours / base)',
          'relay p50 / p99 ms, ours',
          'relay p50 / p99 ms, base',
          'messages/s (ours / base)',
          'server CPU µs per message (ours / base)',
          'server CPU ms per connected peer (ours / base)',
          'Postgres CPU ms per connected peer (ours)',
          'round trips per connected peer (ours)',
          'round trips per message (ours)',
          'KB per peer (ours / base)',
          'ours ÷ base msgs/s',
          'ours ÷ base p50',
        ],
        rows,
      ),
    );
    const loadAtEnd = loadAverage();
    const busy = Math.max(Number(loadAtStart), Number(loadAtEnd)) > availableParallelism();
    console.log(
      `\nsignaling bench took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s; load average ${loadAtStart} at the start, ${loadAtEnd} at the end, on ${availableParallelism()} cores` +
        (busy ? ': other processes took CPU from both servers and the bench (see "waiting" above)' : ''),
    );
  } finally {
    await ours?.process.stop();
    await baseline?.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
