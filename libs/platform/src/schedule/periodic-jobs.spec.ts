import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { loadConfig } from '../config';
import { PeriodicJobs } from './periodic-jobs';

/** A run that finishes when the test says so. */
function pendingRun() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('PeriodicJobs', () => {
  let registry: SchedulerRegistry;
  const jobsWith = (env: Record<string, string> = {}) => new PeriodicJobs(registry, loadConfig(env));

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new SchedulerRegistry();
  });

  afterEach(() => jest.useRealTimers());

  it('runs a job every interval, on the scheduler registry, the first time one interval in unless told otherwise', async () => {
    const jobs = jobsWith();
    const runs: string[] = [];
    jobs.every('plain', 1_000, async () => void runs.push('plain'));
    jobs.every('early', 1_000, async () => void runs.push('early'), { firstRunAfterMs: 100 });
    expect(registry.getIntervals().sort()).toEqual(['early', 'plain']);

    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toEqual(['early']);
    await jest.advanceTimersByTimeAsync(900);
    expect(runs.filter((name) => name === 'plain')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs.filter((name) => name === 'plain')).toHaveLength(3);
    expect(runs.filter((name) => name === 'early')).toHaveLength(4);
    await jobs.beforeApplicationShutdown();
  });

  it('skips the ticks that come while the previous run is still going', async () => {
    const jobs = jobsWith();
    const slow = pendingRun();
    let started = 0;
    jobs.every('slow', 100, async () => {
      started++;
      if (started === 1) await slow.done;
    });

    await jest.advanceTimersByTimeAsync(550);
    expect(started).toBe(1);
    slow.finish();
    await jest.advanceTimersByTimeAsync(100);
    expect(started).toBe(2);
    await jobs.beforeApplicationShutdown();
  });

  it('logs a failed run and runs again at the next tick', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const jobs = jobsWith();
    let runs = 0;
    jobs.every('flaky', 100, async () => {
      runs++;
      if (runs === 1) throw new Error('database is away');
    });

    await jest.advanceTimersByTimeAsync(200);
    expect(runs).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('flaky failed: database is away');
    await jobs.beforeApplicationShutdown();
    warn.mockRestore();
  });

  it('never runs the jobs JOBS_DISABLED names, or any when it says all', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const partly = jobsWith({ JOBS_DISABLED: 'outbox:calls, top-up' });
    const runs: string[] = [];
    for (const name of ['outbox:calls', 'top-up', 'call-deadlines']) partly.every(name, 100, async () => void runs.push(name), { firstRunAfterMs: 0 });
    await jest.advanceTimersByTimeAsync(300);
    expect(new Set(runs)).toEqual(new Set(['call-deadlines']));
    expect(registry.getIntervals()).toEqual(['call-deadlines']);
    await partly.beforeApplicationShutdown();

    const none = jobsWith({ JOBS_DISABLED: 'all' });
    const job = none.every('call-deadlines', 100, async () => void runs.push('again'));
    await jest.advanceTimersByTimeAsync(300);
    expect(runs).not.toContain('again');
    await job.stop();
    expect(log).toHaveBeenCalledWith('top-up: off (JOBS_DISABLED)');
    log.mockRestore();
  });

  it('refuses a JOBS_DISABLED that is not a list of names', () => {
    expect(() => loadConfig({ JOBS_DISABLED: 'top-up;outbox' })).toThrow(/JOBS_DISABLED/);
  });

  it('on shutdown stops every job and waits for a run in progress', async () => {
    const jobs = jobsWith();
    const slow = pendingRun();
    let started = 0;
    jobs.every('slow', 100, async () => {
      started++;
      await slow.done;
    });
    jobs.every('idle', 100, async () => undefined, { firstRunAfterMs: 5_000 });
    await jest.advanceTimersByTimeAsync(100);
    expect(started).toBe(1);

    let shutDown = false;
    const shutdown = jobs.beforeApplicationShutdown().then(() => (shutDown = true));
    await jest.advanceTimersByTimeAsync(500);
    expect(shutDown).toBe(false);
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);

    slow.finish();
    await shutdown;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toBe(1);
  });

  it("stops one job by its handle, and copes with the scheduler's own shutdown having cleared the registry", async () => {
    const jobs = jobsWith();
    let runs = 0;
    const job = jobs.every('one', 100, async () => void runs++);
    expect(() => jobs.every('one', 100, async () => undefined)).toThrow(/already registered/);
    await job.stop();
    await jest.advanceTimersByTimeAsync(300);
    expect(runs).toBe(0);

    jobs.every('one', 100, async () => void runs++);
    await job.stop();
    expect(registry.getIntervals()).toEqual(['one']);
    registry.deleteInterval('one');
    await expect(jobs.beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
