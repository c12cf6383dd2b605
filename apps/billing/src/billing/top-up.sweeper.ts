import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs } from '@vidivo/platform';
import { CallAccountsRepository } from './call-accounts.repository';
import { ReleaseUnclaimedHoldUseCase, UNCLAIMED_HOLD_SECONDS } from '../use-cases/release-unclaimed-hold/release-unclaimed-hold.use-case';
import { TopUpCallUseCase } from '../use-cases/top-up-call/top-up-call.use-case';

const TICK_MS = 1_000;
/** Calls looked at per tick and kind of work; the rest wait for the next tick. */
const BATCH = 50;

/**
 * Keeps running calls covered: every second, the calls whose next window is due get their hold,
 * and first holds left waiting for an authentication nobody finished are given back.
 */
@Injectable()
export class TopUpSweeper implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly topUpCall: TopUpCallUseCase,
    private readonly releaseUnclaimedHold: ReleaseUnclaimedHoldUseCase,
    private readonly jobs: PeriodicJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('top-up', TICK_MS, () => Promise.all([this.topUpDueCalls(), this.releaseUnclaimedHolds()]));
  }

  /** Places the next window's hold for calls whose covered time runs out within the lead time. */
  async topUpDueCalls(): Promise<number> {
    const due = await this.accounts.dueForTopUp(BATCH);
    for (const callId of due) await this.topUpCall.execute({ callId });
    return due.length;
  }

  /** First holds that waited for an authentication nobody came back from are released (decision 25). */
  async releaseUnclaimedHolds(): Promise<number> {
    const stale = await this.accounts.authenticatingSince(UNCLAIMED_HOLD_SECONDS, BATCH);
    for (const callId of stale) await this.releaseUnclaimedHold.execute({ callId });
    return stale.length;
  }
}
