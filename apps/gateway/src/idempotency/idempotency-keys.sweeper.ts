import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs, deleteInBatches } from '@vidivo/platform';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

const FIRST_SWEEP_MS = 30_000;
const SWEEP_EVERY_MS = 10 * 60_000;
const BATCH = 1_000;

/**
 * Deletes expired keys now and then. Expired keys already behave as absent, so this only bounds the
 * table; every replica may sweep.
 */
@Injectable()
export class IdempotencyKeysSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly keys: IdempotencyKeysRepository,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('idempotency-keys', SWEEP_EVERY_MS, () => this.sweep(), { firstRunAfterMs: FIRST_SWEEP_MS });
  }

  /** Deletes every expired key; gives how many. */
  sweep(): Promise<number> {
    return deleteInBatches((batch) => this.keys.deleteExpired(batch), BATCH);
  }
}
