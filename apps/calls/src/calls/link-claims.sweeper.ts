import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicJobs } from '@vidivo/platform';
import { CallsSettings, callsSettings } from '../calls.settings';
import { LinkUses } from './link-uses';
import { PendingLinkClaimsRepository } from './pending-link-claims.repository';

/** Claims each sweep gives back at most; the next run takes the rest. */
const BATCH = 100;

/**
 * Gives back the link uses of joins that died between claiming a use and recording the call
 * (decision 32): a claim still pending CALL_LINK_CLAIM_GRACE_SECONDS after it was made is taken
 * over, so its join can no longer record the call, and its use goes back to the link. Every
 * replica sweeps; SKIP LOCKED and links' idempotent release make them agree.
 */
@Injectable()
export class LinkClaimsSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('link-claims');
  private readonly graceSeconds: number;

  constructor(
    private readonly pending: PendingLinkClaimsRepository,
    private readonly linkUses: LinkUses,
    private readonly jobs: PeriodicJobs,
    @Inject(callsSettings.token) settings: CallsSettings,
  ) {
    this.graceSeconds = settings.CALL_LINK_CLAIM_GRACE_SECONDS;
  }

  onApplicationBootstrap(): void {
    // A few times per grace period, at most every 15 s: a lost use comes back soon after the grace.
    const everyMs = Math.min(15_000, Math.max(250, (this.graceSeconds * 1000) / 4));
    this.jobs.every('link-claims', everyMs, () => this.sweep());
  }

  /** Gives back the uses of claims left pending past the grace; answers how many it took over. */
  async sweep(): Promise<number> {
    const stale = await this.pending.takeOverStale(this.graceSeconds, BATCH);
    for (const callId of stale) await this.linkUses.giveBack(callId);
    if (stale.length > 0) this.logger.warn(`${stale.length} link use(s) of joins that never recorded their call given back`);
    return stale.length;
  }
}
