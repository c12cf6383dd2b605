import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { readProcessTable } from './proc-stat';
import { PerOperation, UsageReading, cpuReading, parseQueryCounts, perOperation, processTicks, serverCpuTicks } from './usage';

/** How long the outboxes may take to drain after a phase before the benchmark gives up. */
const DRAIN_TIMEOUT_MS = 120_000;
/** After the outboxes are empty, the relay's clean-up statement that follows a drain still runs. */
const AFTER_DRAIN_MS = 150;

/** What one phase gave: its result, how long its work took, and what it used per operation. */
export interface Measured<T> {
  result: T;
  /** From the first request to the last answer: the figure throughput is computed from. */
  workMs: number;
  /** Until the asynchronous work it started (events, settlement) was done, when it was waited for. */
  usage: PerOperation;
  /** Until the last answer only, when the asynchronous work was waited for. */
  answered?: PerOperation;
}

export interface ServerUnderTest {
  pid: number;
  /** The Stripe emulator's process, measured apart, when it runs as one. */
  stripePid?: number;
  /** The server's /metrics, when it has one. */
  metricsUrl?: string;
  /** Its embedded Postgres, when the benchmark waits for the outboxes to drain. */
  postgresUrl?: string;
}

/**
 * The CPU (from /proc/<pid>/stat) and the Postgres statements (from db_queries_total on /metrics)
 * of a server under test, read around each measured phase. Its own connection to the database
 * (to see the outboxes drain) is left out of the Postgres CPU.
 */
export class ServerUsage {
  private constructor(
    private readonly server: ServerUnderTest,
    private readonly database: Client | undefined,
    private readonly excluded: ReadonlySet<number>,
    private readonly outboxes: string[],
  ) {}

  static async attach(server: ServerUnderTest): Promise<ServerUsage> {
    if (!server.postgresUrl) return new ServerUsage(server, undefined, new Set(), []);
    const database = new Client({ connectionString: server.postgresUrl, application_name: 'vidivo-bench' });
    await database.connect();
    const [{ pid }] = (await database.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    const { rows } = await database.query<{ schema: string }>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1`);
    return new ServerUsage(
      server,
      database,
      new Set([pid]),
      rows.map((row) => row.schema),
    );
  }

  async close(): Promise<void> {
    await this.database?.end().catch(() => undefined);
  }

  cpu(): UsageReading {
    const table = readProcessTable();
    const stripe = this.server.stripePid === undefined ? NaN : processTicks(table, this.server.stripePid);
    return cpuReading({ ...serverCpuTicks(table, this.server.pid, this.excluded), stripe });
  }

  async queries(): Promise<Record<string, number> | undefined> {
    if (!this.server.metricsUrl) return undefined;
    const response = await fetch(this.server.metricsUrl);
    if (response.status !== 200) throw new Error(`${this.server.metricsUrl} answered ${response.status}`);
    return parseQueryCounts(await response.text());
  }

  /**
   * Reads before and after `work`, and divides by `operations`. Queries are scraped before the
   * CPU is read at the start and after it at the end, so the scrapes' own CPU stays outside.
   * With `drain`, the phase lasts until every outbox is empty: the events it committed have been
   * handled, settlement after an end included.
   */
  async measure<T>(operations: number, work: () => Promise<T>, options: { drain?: boolean } = {}): Promise<Measured<T>> {
    const before = { queries: await this.queries(), ...this.cpu() };
    const started = performance.now();
    const result = await work();
    const workMs = performance.now() - started;
    let answered: PerOperation | undefined;
    if (options.drain) {
      answered = perOperation(before, { ...this.cpu(), queries: await this.queries() }, operations);
      await this.drained();
    }
    const after = { ...this.cpu(), queries: await this.queries() };
    return { result, workMs, usage: perOperation(before, after, operations), answered };
  }

  /** Usage per second while nothing is asked of the server: its relays and sweepers. */
  async idle(seconds: number): Promise<PerOperation> {
    return (await this.measure(seconds, () => sleep(seconds * 1000))).usage;
  }

  /** Resolves once no outbox holds an event not yet delivered (the relays' handlers have run). */
  async drained(): Promise<void> {
    if (!this.database) throw new Error('waiting for the outboxes needs the database URL');
    if (this.outboxes.length === 0) return;
    const pending = this.outboxes.map((schema) => `(SELECT count(*) FROM "${schema}".outbox WHERE published_at IS NULL)`).join(' + ');
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const [{ left }] = (await this.database.query<{ left: string }>(`SELECT ${pending} AS left`)).rows;
      if (Number(left) === 0) break;
      if (Date.now() > deadline) throw new Error(`${left} events still undelivered after ${DRAIN_TIMEOUT_MS} ms`);
      await sleep(25);
    }
    await sleep(AFTER_DRAIN_MS);
  }
}
