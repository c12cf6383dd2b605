import { ProcStat } from './proc-stat';
import { cpuReading, parseQueryCounts, perOperation, processTicks, serverCpuTicks } from './usage';

const proc = (pid: number, ppid: number, comm: string, utime: number, stime: number, cutime = 0, cstime = 0): ProcStat => ({ pid, ppid, comm, utime, stime, cutime, cstime });

describe('serverCpuTicks', () => {
  const table = [
    proc(1, 0, 'init', 1_000, 1_000),
    proc(100, 1, 'node', 300, 40, 7, 7), // the server; its cutime is not its own CPU
    proc(200, 100, 'postgres', 5, 3, 50, 20), // the postmaster; 70 ticks of backends that ended
    proc(201, 200, 'postgres', 10, 2),
    proc(202, 200, 'postgres', 30, 6),
    proc(203, 202, 'postgres', 1, 1), // a parallel worker's child, still the cluster's
    proc(204, 200, 'postgres', 400, 100), // the benchmark's own backend
    proc(300, 100, 'sh', 9, 9), // not Postgres
    proc(400, 1, 'postgres', 999, 999), // another cluster on the machine
  ];

  it('counts the server itself, and the postmaster it started with everything under it and its ended children', () => {
    expect(serverCpuTicks(table, 100)).toEqual({ node: 340, postgres: 8 + 70 + 12 + 36 + 2 + 500 });
  });

  it('leaves out the processes it is told to', () => {
    expect(serverCpuTicks(table, 100, new Set([204]))).toEqual({ node: 340, postgres: 8 + 70 + 12 + 36 + 2 });
  });

  it('has no Postgres figure for a server without a cluster of its own, and fails for a server that is gone', () => {
    expect(serverCpuTicks(table, 300)).toEqual({ node: 18, postgres: NaN });
    expect(() => serverCpuTicks(table, 999)).toThrow(/not running/);
  });

  it('converts ticks to ms, the emulator apart when it is read', () => {
    expect(cpuReading({ node: 340, postgres: 128 }, 100)).toEqual({ nodeCpuMs: 3400, postgresCpuMs: 1280, stripeCpuMs: NaN });
    expect(cpuReading({ node: 1, postgres: 2, stripe: processTicks(table, 300) }, 100)).toEqual({ nodeCpuMs: 10, postgresCpuMs: 20, stripeCpuMs: 180 });
    expect(processTicks(table, 999)).toBeNaN();
  });
});

describe('parseQueryCounts', () => {
  it('reads db_queries_total by schema and nothing else', () => {
    const scrape = [
      '# HELP db_queries_total Statements sent',
      '# TYPE db_queries_total counter',
      'db_queries_total{schema="calls"} 120',
      'db_queries_total{schema="billing"} 7',
      'db_queries_total_other{schema="calls"} 5',
      'http_requests_total{schema="calls"} 99',
    ].join('\n');
    expect(parseQueryCounts(scrape)).toEqual({ calls: 120, billing: 7 });
    expect(parseQueryCounts('')).toEqual({});
  });
});

describe('perOperation', () => {
  it('divides CPU and statements by the operations, by schema too', () => {
    const before = { nodeCpuMs: 1_000, postgresCpuMs: 400, queries: { calls: 100, billing: 50 } };
    const after = { nodeCpuMs: 7_000, postgresCpuMs: 2_800, queries: { calls: 1_100, billing: 50, links: 400 } };
    expect(perOperation(before, after, 200)).toEqual({
      operations: 200,
      nodeCpuMs: 30,
      postgresCpuMs: 12,
      stripeCpuMs: NaN,
      roundTrips: 7,
      roundTripsBySchema: { calls: 5, links: 2 },
    });
  });

  it('divides the CPU of the Stripe emulator apart when it is read', () => {
    const usage = perOperation({ nodeCpuMs: 0, postgresCpuMs: 0, stripeCpuMs: 500 }, { nodeCpuMs: 40, postgresCpuMs: 20, stripeCpuMs: 540 }, 4);
    expect(usage).toMatchObject({ nodeCpuMs: 10, postgresCpuMs: 5, stripeCpuMs: 10 });
  });

  it('gives NaN round trips for a server without the counter, and NaN Postgres CPU without a cluster', () => {
    const usage = perOperation({ nodeCpuMs: 10, postgresCpuMs: NaN }, { nodeCpuMs: 16, postgresCpuMs: NaN }, 3);
    expect(usage.nodeCpuMs).toBe(2);
    expect(usage.postgresCpuMs).toBeNaN();
    expect(usage.roundTrips).toBeNaN();
    expect(usage.roundTripsBySchema).toEqual({});
  });

  it('refuses to divide by no operations', () => {
    expect(() => perOperation({ nodeCpuMs: 0, postgresCpuMs: 0 }, { nodeCpuMs: 1, postgresCpuMs: 0 }, 0)).toThrow(/operations/);
  });
});
