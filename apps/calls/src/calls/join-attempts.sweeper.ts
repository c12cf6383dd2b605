import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs } from '@vidivo/platform';
import { CallsSettings, callsSettings } from '../calls.settings';
import { FailedJoins } from './failed-joins';
import { JoinAttemptsRepository } from './join-attempts.repository';

const FORGET_EVERY_MS = 60 * 60_000;
/** As long as the gateway keeps an idempotency key (decision 5): no retry comes later. */
const KEEP_HOURS = 24;
const BATCH = 100;

/**
 * Joins by the client's idempotency key (decision 32) that need a hand: a join that recorded its
 * call and then died, or whose clean-up ran into an outage, leaves a waiting call no hold may back
 * and no answer; after twice CALL_LINK_CLAIM_GRACE_SECONDS (longer than a live join's Stripe
 * requests take) it fails, as the join would have failed it, so billing lets go and the client's
 * retry can join afresh. Old attempts are forgotten. Every replica may sweep.
 */
@Injectable()
export class JoinAttemptsSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('join-attempts');
  private readonly abandonedAfterSeconds: number;

  constructor(
    private readonly attempts: JoinAttemptsRepository,
    private readonly failedJoins: FailedJoins,
    private readonly jobs: PeriodicJobs,
    @Inject(callsSettings.token) settings: CallsSettings,
  ) {
    this.abandonedAfterSeconds = 2 * settings.CALL_LINK_CLAIM_GRACE_SECONDS;
  }

  onApplicationBootstrap(): void {
    this.jobs.every('join-attempts', Math.min(15_000, Math.max(1_000, (this.abandonedAfterSeconds * 1000) / 4)), () => this.failAbandoned());
    this.jobs.every('join-attempts-forget', FORGET_EVERY_MS, () => this.forgetOld());
  }

  /** Fails the calls of abandoned joins; answers how many. */
  async failAbandoned(): Promise<number> {
    const callIds = await this.attempts.abandonedCalls(this.abandonedAfterSeconds, BATCH);
    for (const callId of callIds) await this.failedJoins.fail(callId);
    if (callIds.length > 0) this.logger.warn(`${callIds.length} call(s) of joins that never answered failed`);
    return callIds.length;
  }

  forgetOld(): Promise<number> {
    return this.attempts.deleteOlderThan(KEEP_HOURS);
  }
}
