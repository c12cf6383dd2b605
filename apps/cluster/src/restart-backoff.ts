/** How a crashed app is started again: Kubernetes' CrashLoopBackOff, scaled down for a laptop. */
export interface RestartBackoffPolicy {
  /** The wait before the first restart. */
  initialDelayMs: number;
  /** Each further restart waits twice as long, up to this. */
  maxDelayMs: number;
  /** An app that stayed up this long before it crashed starts over at `initialDelayMs`. */
  resetAfterMs: number;
}

/** 0.5 s, 1 s, 2 s … 30 s; back to 0.5 s once an app stayed up a minute (Kubernetes: 10 s to 5 min, reset after 10 min). */
export const DEFAULT_RESTART_BACKOFF: RestartBackoffPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The restart delays of one app: pure, the times are given by the caller. */
export class RestartBackoff {
  private crashesInARow = 0;

  constructor(private readonly policy: RestartBackoffPolicy = DEFAULT_RESTART_BACKOFF) {}

  /** The app, started at `startedAt`, exited at `exitedAt` (ms): how long to wait before starting it again. */
  delayAfterExit(startedAt: number, exitedAt: number): number {
    if (exitedAt - startedAt >= this.policy.resetAfterMs) this.crashesInARow = 0;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** this.crashesInARow);
    this.crashesInARow += 1;
    return delay;
  }

  /** How many times in a row it crashed before staying up long enough. */
  get restarts(): number {
    return this.crashesInARow;
  }
}
