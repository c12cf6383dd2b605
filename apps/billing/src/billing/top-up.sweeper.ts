import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs } from '@vidivo/platform';
import { BillingService } from './billing.service';

const TICK_MS = 1_000;

/**
 * Keeps running calls covered: every second, the calls whose next window is due get their hold,
 * and first holds left waiting for an authentication nobody finished are given back.
 */
@Injectable()
export class TopUpSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly billing: BillingService,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('top-up', TICK_MS, () => Promise.all([this.billing.topUpDueCalls(), this.billing.releaseUnclaimedHolds()]));
  }
}
