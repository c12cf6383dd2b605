import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { PeriodicJob, PeriodicJobs } from '../schedule';
import { outboxChannel } from './event-tables';
import { EventTransport } from './event-transport';
import { EVENTS_SCHEMA } from './outbox';

export const EVENTS_DATA_SOURCE = Symbol('EVENTS_DATA_SOURCE');
const BATCH = 50;
/** A safety net under LISTEN/NOTIFY: a missed notification delays delivery by at most this. */
const POLL_MS = 1_000;
const KEEP_PUBLISHED_DAYS = 7;
/** Published rows are pruned this often, not on every drain (a drain follows every committed event). */
const PRUNE_MS = 60 * 60_000;
/** How long a claimed batch is this relay's alone; far longer than delivering 50 events takes. */
const LEASE_SECONDS = 60;

interface OutboxRow {
  id: string;
  payload: DomainEvent;
  attempts: number;
}

/**
 * Delivers a schema's committed events. Rows are leased with SKIP LOCKED, so replicas share the
 * work without sending one row twice at the same time; a row is marked published only after the
 * transport took it, so a crash means a resend (consumers drop duplicates), never a loss. A row
 * that fails waits longer each time and does not hold up the rows behind it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private listener?: Client;
  private poll?: PeriodicJob;
  private prune?: PeriodicJob;
  private draining?: Promise<void>;
  private drainAgain = false;
  private stopped = false;

  constructor(
    @Inject(EVENTS_SCHEMA) private readonly schema: string,
    @Inject(EVENTS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly transport: EventTransport,
    private readonly config: AppConfig,
    private readonly jobs: PeriodicJobs,
  ) {
    this.logger = new Logger(`outbox:${schema}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new Client({ connectionString: this.config.databaseUrl, application_name: `vidivo-${this.schema}-outbox` });
    this.listener.on('notification', () => this.nudge());
    this.listener.on('error', (error) => this.logger.warn(`listener: ${error.message}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${outboxChannel(this.schema)}`);
    // The poll only nudges: NOTIFY starts drains too, so the relay itself waits for the one running on shutdown.
    this.poll = this.jobs.every(`outbox:${this.schema}`, POLL_MS, () => this.nudge());
    this.prune = this.jobs.every(`outbox-prune:${this.schema}`, PRUNE_MS, () => this.prunePublished(), { firstRunAfterMs: POLL_MS });
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.poll?.stop();
    await this.prune?.stop();
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }

  /** Starts a drain, or asks the running one to go round again. */
  nudge(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => this.logger.warn(`delivery paused: ${(error as Error).message}`))
      .finally(() => {
        this.draining = undefined;
        if (this.drainAgain && !this.stopped) {
          this.drainAgain = false;
          this.nudge();
        }
      });
  }

  /** Resolves once every event committed before the call has been handed to the transport (or failed once). */
  async flush(): Promise<void> {
    this.nudge();
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.deliverBatch()) === BATCH);
  }

  private async prunePublished(): Promise<void> {
    await this.dataSource.query(`DELETE FROM "${this.schema}".outbox WHERE published_at < now() - interval '${KEEP_PUBLISHED_DAYS} days'`);
  }

  /**
   * Claims a batch in one statement by leasing it (its next attempt moved past the lease), then
   * publishes with no transaction open: in standalone mode publishing runs the subscribers, which
   * may call Stripe (decision 32). A relay that dies mid-batch leaves its rows to be sent again
   * once the lease has run out.
   */
  private async deliverBatch(): Promise<number> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows] = await this.dataSource.query<[OutboxRow[], number]>(
      `UPDATE "${this.schema}".outbox SET next_attempt_at = now() + interval '${LEASE_SECONDS} seconds'
        WHERE id IN (SELECT id FROM "${this.schema}".outbox
                      WHERE published_at IS NULL AND next_attempt_at <= now()
                      ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING id, payload, attempts`,
    );
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    const published: string[] = [];
    for (const row of rows) {
      try {
        await this.transport.publish(row.payload);
        published.push(row.id);
      } catch (error) {
        await this.recordFailure(row, (error as Error).message ?? String(error));
      }
    }
    if (published.length) await this.dataSource.query(`UPDATE "${this.schema}".outbox SET published_at = now(), last_error = NULL WHERE id = ANY($1)`, [published]);
    return rows.length;
  }

  private async recordFailure(row: OutboxRow, message: string): Promise<void> {
    this.logger.warn(`${row.payload.subject} ${row.id} not delivered (attempt ${row.attempts + 1}): ${message}`);
    await this.dataSource.query(
      `UPDATE "${this.schema}".outbox
          SET attempts = attempts + 1, last_error = $2,
              next_attempt_at = now() + least(60, power(2, attempts)) * interval '1 second'
        WHERE id = $1`,
      [row.id, message.slice(0, 500)],
    );
  }
}
