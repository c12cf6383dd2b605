import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, PeriodicJobs } from '@vidivo/platform';
import { CallsService } from './calls.service';

/**
 * The deadlines of calls: still waiting for their host after CALL_NO_SHOW_SECONDS, they become
 * missed (decision 13); active for CALL_MAX_MINUTES, or with a participant gone for
 * CALL_ABANDON_SECONDS, they end (decision 28). Every replica sweeps; row locks with SKIP LOCKED
 * and the state machine make them agree.
 */
@Injectable()
export class CallDeadlinesSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('call-deadlines');
  private readonly noShowSeconds: number;
  private readonly maxMinutes: number;
  private readonly abandonSeconds: number;

  constructor(
    private readonly calls: CallsService,
    private readonly jobs: PeriodicJobs,
    config: AppConfig,
  ) {
    this.noShowSeconds = config.env.CALL_NO_SHOW_SECONDS;
    this.maxMinutes = config.env.CALL_MAX_MINUTES;
    this.abandonSeconds = config.env.CALL_ABANDON_SECONDS;
  }

  onApplicationBootstrap(): void {
    // Check a few times per no-show threshold, at most every 5 s, so a call is missed close to its deadline.
    const everyMs = Math.min(5_000, Math.max(250, (this.noShowSeconds * 1000) / 4));
    this.jobs.every('call-deadlines', everyMs, () => this.sweep());
  }

  private async sweep(): Promise<void> {
    const [missed, capped, abandoned] = await Promise.all([
      this.calls.sweepNoShows(this.noShowSeconds),
      this.calls.sweepOverlong(this.maxMinutes),
      // 0 turns the abandoned-call rule off.
      this.abandonSeconds > 0 ? this.calls.sweepAbandoned(this.abandonSeconds) : 0,
    ]);
    if (missed > 0) this.logger.log(`${missed} call(s) missed: the host did not join within ${this.noShowSeconds} s`);
    if (capped > 0) this.logger.log(`${capped} call(s) ended at the ${this.maxMinutes}-minute limit`);
    if (abandoned > 0) this.logger.log(`${abandoned} call(s) ended: a participant was gone for ${this.abandonSeconds} s`);
  }
}
