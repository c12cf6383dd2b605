import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vidivo/platform';
import { CallsService } from './calls.service';

/**
 * Calls still waiting for their host after CALL_NO_SHOW_SECONDS become missed (decision 13).
 * Every replica sweeps; row locks with SKIP LOCKED and the state machine make them agree.
 */
@Injectable()
export class NoShowSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('no-show');
  private readonly thresholdSeconds: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly calls: CallsService,
    config: AppConfig,
  ) {
    this.thresholdSeconds = config.env.CALL_NO_SHOW_SECONDS;
  }

  onApplicationBootstrap(): void {
    // Check a few times per threshold, at most every 5 s, so a call is missed close to its deadline.
    const everyMs = Math.min(5_000, Math.max(250, (this.thresholdSeconds * 1000) / 4));
    this.timer = setInterval(() => this.sweep(), everyMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private sweep(): void {
    if (this.running) return;
    this.running = this.calls
      .sweepNoShows(this.thresholdSeconds)
      .then((missed) => {
        if (missed > 0) this.logger.log(`${missed} call(s) missed: the host did not join within ${this.thresholdSeconds} s`);
      })
      .catch((error) => this.logger.warn(`sweep failed: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }
}
