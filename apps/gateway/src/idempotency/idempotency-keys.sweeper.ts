import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

const FIRST_SWEEP_MS = 30_000;
const SWEEP_EVERY_MS = 10 * 60_000;
/** Small batches keep each DELETE short; a backlog is worked off batch by batch. */
const BATCH = 1_000;

/**
 * Deletes expired keys now and then. Expired keys already behave as absent, so this only bounds the
 * table; every replica may sweep, and the timers never keep the process alive.
 */
@Injectable()
export class IdempotencyKeysSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly keys: IdempotencyKeysRepository) {}

  onApplicationBootstrap(): void {
    const sweepQuietly = () => void this.sweep().catch((error: unknown) => this.logger.warn(`sweeping expired idempotency keys failed: ${String(error)}`));
    this.timers.push(setTimeout(sweepQuietly, FIRST_SWEEP_MS).unref(), setInterval(sweepQuietly, SWEEP_EVERY_MS).unref());
  }

  onModuleDestroy(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
  }

  /** Deletes every expired key; gives how many. */
  async sweep(): Promise<number> {
    let total = 0;
    let deleted: number;
    do {
      deleted = await this.keys.deleteExpired(BATCH);
      total += deleted;
    } while (deleted === BATCH);
    return total;
  }
}
