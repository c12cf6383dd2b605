import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BillingService } from './billing.service';

const TICK_MS = 1_000;

/**
 * Keeps running calls covered: every second, the calls whose next window is due get their hold,
 * and first holds left waiting for an authentication nobody finished are given back.
 */
@Injectable()
export class TopUpSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('top-up');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly billing: BillingService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = Promise.all([this.billing.topUpDueCalls(), this.billing.releaseUnclaimedHolds()])
      .then(() => undefined)
      .catch((error) => this.logger.warn(`top-up failed: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }
}
