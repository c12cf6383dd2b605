import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs, deleteInBatches } from '@vidivo/platform';
import { RateCountersRepository } from './rate-counters.repository';

const FIRST_SWEEP_MS = 60_000;
const SWEEP_EVERY_MS = 10 * 60_000;
const BATCH = 1_000;

/** Deletes counters whose window has ended: they already count as zero, so this only bounds the table; every replica may sweep. */
@Injectable()
export class RateCountersSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly counters: RateCountersRepository,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('rate-counters', SWEEP_EVERY_MS, () => this.sweep(), { firstRunAfterMs: FIRST_SWEEP_MS });
  }

  /** Deletes every ended counter; gives how many. */
  sweep(): Promise<number> {
    return deleteInBatches((batch) => this.counters.deleteExpired(batch), BATCH);
  }
}
