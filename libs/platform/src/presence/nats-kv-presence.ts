import { Logger } from '@nestjs/common';
import { JSONCodec, KV, NatsConnection, QueuedIterator, KvEntry, connect } from 'nats';
import { natsConnectionOptions } from '../messaging/nats-connection';
import { PeriodicJob, PeriodicJobs } from '../schedule';
import { Presence, PresenceRecord } from './presence';

export interface PresenceTiming {
  bucket: string;
  /** Every entry of this process is put again this often … */
  refreshMs: number;
  /** … and counts as gone, everywhere, once it has not been for this long (well inside the resume grace). */
  ttlMs: number;
}

const DEFAULT_TIMING: PresenceTiming = { bucket: 'vidivo_presence', refreshMs: 4_000, ttlMs: 12_000 };
const SWEEP_MS = 1_000;
const codec = JSONCodec<Record<string, unknown>>();

/**
 * Presence between processes: a JetStream key-value bucket whose entries expire (the bucket's TTL)
 * unless their process puts them again. Every process mirrors the whole bucket through a watch, so
 * lookups are local; an entry that stops being refreshed without a delete is reported as lost by
 * every process (the server drops it without telling watchers, so the mirror's clock decides).
 */
export class NatsKvPresence extends Presence {
  private readonly logger = new Logger('presence');
  private readonly own = new Map<string, Record<string, unknown>>();
  private readonly mirror = new Map<string, PresenceRecord>();
  private readonly lostListeners: Array<(record: PresenceRecord) => void> = [];
  private readonly jobs: PeriodicJob[] = [];
  private connection?: NatsConnection;
  private watch?: QueuedIterator<KvEntry>;
  private ready?: Promise<KV>;

  constructor(
    private readonly natsUrl: string,
    private readonly periodicJobs: PeriodicJobs,
    private readonly timing: PresenceTiming = DEFAULT_TIMING,
  ) {
    super();
  }

  /** Connects, creates the bucket when missing and starts mirroring it; repeated calls share one start. */
  start(): Promise<KV> {
    this.ready ??= this.open();
    return this.ready;
  }

  announce(key: string, value: Record<string, unknown>): void {
    this.own.set(key, value);
    this.mirror.set(key, { key, value, refreshedAt: Date.now() });
    void this.put(key, value);
  }

  withdraw(key: string): void {
    this.own.delete(key);
    this.mirror.delete(key);
    void this.start()
      .then((kv) => kv.delete(key))
      .catch((error) => this.logger.warn(`presence ${key} not withdrawn: ${(error as Error).message}`));
  }

  list(prefix: string): PresenceRecord[] {
    const fresh = Date.now() - this.timing.ttlMs;
    return [...this.mirror.values()].filter((record) => record.key.startsWith(prefix) && (this.own.has(record.key) || record.refreshedAt > fresh));
  }

  onLost(listener: (record: PresenceRecord) => void): void {
    this.lostListeners.push(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.jobs.map((job) => job.stop()));
    this.watch?.stop();
    // Withdrawn on a clean stop: the others need not wait for the entries to expire.
    if (this.ready && this.own.size > 0) {
      const kv = await this.ready.catch(() => undefined);
      if (kv) await Promise.all([...this.own.keys()].map((key) => kv.delete(key).catch(() => undefined)));
    }
    this.own.clear();
    await this.connection?.drain().catch(() => undefined);
  }

  private async open(): Promise<KV> {
    this.connection = await connect(natsConnectionOptions(this.natsUrl, 'vidivo-presence'));
    const kv = await this.connection.jetstream().views.kv(this.timing.bucket, { ttl: this.timing.ttlMs, history: 1 });
    this.watch = await kv.watch({ key: '>' });
    void this.follow(this.watch);
    this.jobs.push(
      this.periodicJobs.every('presence-refresh', this.timing.refreshMs, () => this.refresh(kv)),
      this.periodicJobs.every('presence-sweep', SWEEP_MS, () => this.sweep()),
    );
    return kv;
  }

  private async follow(watch: QueuedIterator<KvEntry>): Promise<void> {
    for await (const entry of watch) {
      if (entry.operation === 'PUT') this.mirror.set(entry.key, { key: entry.key, value: codec.decode(entry.value), refreshedAt: entry.created.getTime() });
      else if (!this.own.has(entry.key)) this.mirror.delete(entry.key);
    }
  }

  private async put(key: string, value: Record<string, unknown>): Promise<void> {
    try {
      await (await this.start()).put(key, codec.encode(value));
    } catch (error) {
      this.logger.warn(`presence ${key} not announced: ${(error as Error).message}`);
    }
  }

  private async refresh(kv: KV): Promise<void> {
    await Promise.all(
      [...this.own].map(([key, value]) => kv.put(key, codec.encode(value)).catch((error) => this.logger.warn(`presence ${key} not refreshed: ${(error as Error).message}`))),
    );
  }

  /** Entries of other processes that were not refreshed in time: their process is gone. */
  private sweep(): void {
    const expired = Date.now() - this.timing.ttlMs;
    for (const record of [...this.mirror.values()]) {
      if (this.own.has(record.key) || record.refreshedAt > expired) continue;
      this.mirror.delete(record.key);
      for (const listener of this.lostListeners) listener(record);
    }
  }
}
