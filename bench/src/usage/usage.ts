import { ProcStat, ticksToMs } from './proc-stat';

/** What the server had used up to one moment: CPU in ms since it started, statements sent by schema. */
export interface UsageReading {
  nodeCpuMs: number;
  /** NaN when the server runs no Postgres of its own. */
  postgresCpuMs: number;
  /** The Stripe emulator's process, when it runs apart; NaN otherwise. */
  stripeCpuMs?: number;
  /** db_queries_total by schema; undefined for a server without the counter (the raw relay). */
  queries?: Record<string, number>;
}

/** One measured phase divided by the operations done in it. */
export interface PerOperation {
  operations: number;
  /** CPU ms of the server's Node process per operation. */
  nodeCpuMs: number;
  /** CPU ms of the embedded Postgres cluster per operation. */
  postgresCpuMs: number;
  /** CPU ms of the Stripe emulator's process per operation (NaN when it runs inside the server). */
  stripeCpuMs: number;
  /** Statements sent to Postgres per operation (each one round trip); NaN without the counter. */
  roundTrips: number;
  roundTripsBySchema: Record<string, number>;
}

/**
 * CPU ticks of the server's Node process, and of the Postgres cluster it started: the postmaster
 * (a child of the server whose executable is `postgres`), every process under it, and its `cutime`
 * and `cstime`, the CPU of backends that ended meanwhile (a pool closing an idle connection).
 * Processes in `excluded` are not counted: the benchmark's own connection to the cluster.
 */
export function serverCpuTicks(table: ProcStat[], serverPid: number, excluded: ReadonlySet<number> = new Set()): { node: number; postgres: number } {
  const own = (stat: ProcStat) => stat.utime + stat.stime;
  const server = table.find((stat) => stat.pid === serverPid);
  if (!server) throw new Error(`process ${serverPid} is not running`);
  const postmaster = table.find((stat) => stat.ppid === serverPid && stat.comm === 'postgres');
  if (!postmaster) return { node: own(server), postgres: NaN };
  let postgres = own(postmaster) + postmaster.cutime + postmaster.cstime;
  const pending = [postmaster.pid];
  while (pending.length > 0) {
    const parent = pending.pop()!;
    for (const stat of table) {
      if (stat.ppid !== parent) continue;
      pending.push(stat.pid);
      if (!excluded.has(stat.pid)) postgres += own(stat);
    }
  }
  return { node: own(server), postgres };
}

/** CPU ticks (user + system) of one process; NaN when it is not in the table. */
export function processTicks(table: ProcStat[], pid: number): number {
  const stat = table.find((candidate) => candidate.pid === pid);
  return stat ? stat.utime + stat.stime : NaN;
}

export function cpuReading(ticks: { node: number; postgres: number; stripe?: number }, ticksPerSecond?: number): UsageReading {
  return {
    nodeCpuMs: ticksToMs(ticks.node, ticksPerSecond),
    postgresCpuMs: ticksToMs(ticks.postgres, ticksPerSecond),
    stripeCpuMs: ticksToMs(ticks.stripe ?? NaN, ticksPerSecond),
  };
}

/** The db_queries_total series of a /metrics scrape, by schema. */
export function parseQueryCounts(metricsText: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [, schema, value] of metricsText.matchAll(/^db_queries_total\{schema="([^"]*)"\} (\S+)$/gm)) counts[schema] = Number(value);
  return counts;
}

/** What a phase used between two readings, per operation (per second for an idle phase: pass its seconds). */
export function perOperation(before: UsageReading, after: UsageReading, operations: number): PerOperation {
  if (!(operations > 0)) throw new Error(`a phase needs operations to divide by, got ${operations}`);
  const roundTripsBySchema: Record<string, number> = {};
  let roundTrips = NaN;
  if (before.queries && after.queries) {
    roundTrips = 0;
    for (const [schema, count] of Object.entries(after.queries)) {
      const sent = count - (before.queries[schema] ?? 0);
      roundTrips += sent;
      if (sent > 0) roundTripsBySchema[schema] = sent / operations;
    }
    roundTrips /= operations;
  }
  return {
    operations,
    nodeCpuMs: (after.nodeCpuMs - before.nodeCpuMs) / operations,
    postgresCpuMs: (after.postgresCpuMs - before.postgresCpuMs) / operations,
    stripeCpuMs: ((after.stripeCpuMs ?? NaN) - (before.stripeCpuMs ?? NaN)) / operations,
    roundTrips,
    roundTripsBySchema,
  };
}

/** CPU ms with two decimals ("-" when not measured). */
export const cpuMs = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(2));
/** Round trips with one decimal ("-" when not counted). */
export const trips = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));

/** "calls 12.0, billing 9.5, …", the schemas sending most first. */
export function bySchema(usage: PerOperation): string {
  return Object.entries(usage.roundTripsBySchema)
    .sort(([, a], [, b]) => b - a)
    .map(([schema, count]) => `${schema} ${count.toFixed(1)}`)
    .join(', ');
}

/** How long every benchmark watches the server doing nothing. */
export const IDLE_SECONDS = 10;

/** The idle line every benchmark prints: what the server does when nobody asks anything (measured by ServerUsage.idle). */
export function idleLine(idle: PerOperation): string {
  return (
    `idle for ${IDLE_SECONDS} s (relays and sweepers): ${trips(idle.roundTrips)} statements/s (${bySchema(idle)}), ` +
    `Node CPU ${cpuMs(idle.nodeCpuMs)} ms/s, Postgres CPU ${cpuMs(idle.postgresCpuMs)} ms/s` +
    (Number.isNaN(idle.stripeCpuMs) ? '' : `, Stripe emulator CPU ${cpuMs(idle.stripeCpuMs)} ms/s`)
  );
}
