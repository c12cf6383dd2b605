import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs } from '@vidivo/platform';
import { JoinAttemptsRepository } from './join-attempts.repository';

const SWEEP_EVERY_MS = 60 * 60_000;
/** As long as the gateway keeps an idempotency key (decision 5): no retry comes later. */
const KEEP_HOURS = 24;

/** Forgets join attempts no client will retry any more (decision 32); every replica may sweep. */
@Injectable()
export class JoinAttemptsSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly attempts: JoinAttemptsRepository,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('join-attempts', SWEEP_EVERY_MS, () => this.sweep());
  }

  sweep(): Promise<number> {
    return this.attempts.deleteOlderThan(KEEP_HOURS);
  }
}
