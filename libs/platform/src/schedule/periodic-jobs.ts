import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config';

export interface PeriodicJobOptions {
  /** When the first run happens; by default one interval after the job is registered. */
  firstRunAfterMs?: number;
}

/** A registered job, for what stops before the application does (a connection it uses closes). */
export interface PeriodicJob {
  /** No further runs; resolves once a run in progress has finished. Repeated calls are harmless. */
  stop(): Promise<void>;
}

interface RunningJob {
  stopped: boolean;
  run?: Promise<void>;
}

/**
 * Every periodic job of a process, on @nestjs/schedule's registry: a tick that finds the previous
 * run still going is skipped (no overlap), a failed run is logged and the job goes on, a job named
 * in JOBS_DISABLED (or all of them) never runs, and on shutdown the timers stop and a run in
 * progress is awaited while connections are still open. Timers never keep a process alive.
 */
@Injectable()
export class PeriodicJobs implements BeforeApplicationShutdown {
  private readonly logger = new Logger('jobs');
  private readonly jobs = new Map<string, RunningJob>();
  private readonly disabled: Set<string>;

  constructor(
    private readonly registry: SchedulerRegistry,
    config: AppConfig,
  ) {
    this.disabled = new Set(
      (config.jobsDisabled ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    );
  }

  /**
   * Runs `run` every `intervalMs` under `name` (unique in the process; it is also what JOBS_DISABLED
   * names). A run may be synchronous or answer a promise: it ends when the promise settles.
   */
  every(name: string, intervalMs: number, run: () => Promise<unknown> | void, options: PeriodicJobOptions = {}): PeriodicJob {
    if (this.disabled.has('all') || this.disabled.has(name)) {
      this.logger.log(`${name}: off (JOBS_DISABLED)`);
      return { stop: () => Promise.resolve() };
    }
    if (this.jobs.has(name)) throw new Error(`periodic job ${name} is already registered`);
    const job: RunningJob = { stopped: false };
    this.jobs.set(name, job);
    const tick = () => {
      if (job.stopped || job.run) return;
      job.run = Promise.resolve()
        .then(run)
        .then(
          () => undefined,
          (error: unknown) => this.logger.warn(`${name} failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => (job.run = undefined));
    };
    this.registry.addInterval(name, setInterval(tick, intervalMs).unref());
    if (options.firstRunAfterMs !== undefined) {
      const first = setTimeout(() => {
        this.registry.deleteTimeout(name);
        tick();
      }, options.firstRunAfterMs).unref();
      this.registry.addTimeout(name, first);
    }
    return { stop: () => this.stop(name, job) };
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.jobs].map(([name, job]) => this.stop(name, job)));
  }

  private async stop(name: string, job: RunningJob): Promise<void> {
    if (!job.stopped) {
      job.stopped = true;
      this.jobs.delete(name);
      // @nestjs/schedule clears its registry on shutdown too, possibly first.
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
      if (this.registry.doesExist('timeout', name)) this.registry.deleteTimeout(name);
    }
    await job.run;
  }
}
