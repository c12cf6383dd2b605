import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CALL_STATUSES } from '@vidivo/contracts';
import { defineGauge } from '@vidivo/platform';
import { CallsRepository } from './calls.repository';

type CountByState = () => Promise<Array<{ status: string; count: number }>>;

const logger = new Logger('calls-metrics');
/** The calls app of this process, asked at each scrape (unset until it starts, and after it stops). */
let countByState: CountByState | undefined;

export const callsByState = defineGauge<'state'>({
  name: 'calls_by_state',
  help: 'Calls in the calls database by state, counted when scraped',
  labelNames: ['state'],
  async collect() {
    this.reset();
    if (!countByState) return;
    try {
      const rows = await countByState();
      for (const state of CALL_STATUSES) this.set({ state }, 0);
      for (const { status, count } of rows) this.set({ state: status }, count);
    } catch (error) {
      // A scrape still answers with everything else; the series are missing until the database is back.
      logger.warn(`calls by state not counted: ${(error as Error).message}`);
    }
  },
});

/** Hands the gauge above a way to count calls, for as long as this app runs. */
@Injectable()
export class CallsMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly count: CountByState = () => this.calls.countByState();

  constructor(private readonly calls: CallsRepository) {}

  onApplicationBootstrap(): void {
    countByState = this.count;
  }

  onApplicationShutdown(): void {
    if (countByState === this.count) countByState = undefined;
  }
}
