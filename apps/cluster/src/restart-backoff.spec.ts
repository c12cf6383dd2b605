import { DEFAULT_RESTART_BACKOFF, RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  const SECOND = 1_000;

  it('waits 0.5 s before the first restart and doubles the wait for each crash in a row, up to 30 s', () => {
    const backoff = new RestartBackoff();
    let now = 0;
    const delays: number[] = [];
    for (let crash = 0; crash < 10; crash++) {
      const startedAt = now;
      now += 2 * SECOND; // up for two seconds each time
      const delay = backoff.delayAfterExit(startedAt, now);
      delays.push(delay);
      now += delay;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(backoff.restarts).toBe(10);
  });

  it('starts over at 0.5 s once the app stayed up a minute', () => {
    const backoff = new RestartBackoff();
    for (let crash = 0; crash < 5; crash++) backoff.delayAfterExit(0, SECOND);
    expect(backoff.delayAfterExit(0, SECOND)).toBe(16_000);
    expect(backoff.delayAfterExit(0, 60 * SECOND)).toBe(500);
    expect(backoff.delayAfterExit(0, 59 * SECOND)).toBe(1_000);
  });

  it('follows a policy of its own', () => {
    const backoff = new RestartBackoff({ initialDelayMs: 10, maxDelayMs: 25, resetAfterMs: 100 });
    expect([0, 1, 2].map(() => backoff.delayAfterExit(0, 1))).toEqual([10, 20, 25]);
    expect(backoff.delayAfterExit(0, 100)).toBe(10);
    expect(DEFAULT_RESTART_BACKOFF).toEqual({ initialDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 60_000 });
  });
});
