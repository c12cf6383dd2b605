export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `read` gives a value `done` accepts, or the time is up; returns the last value so
 * the test's own assertion says what was wrong. For effects that follow the HTTP answer (events).
 * `intervalMs` spaces the reads (longer for reads that cost, such as a browser page's state).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(intervalMs);
  }
}

/**
 * As `eventually`, but fails when the time is up, with `failure(last value)` as the message (what
 * the pages, the processes or the rows got to); gives the value `done` accepted.
 */
export async function reach<T>(read: () => Promise<T>, done: (value: T) => boolean, failure: (last: T) => string, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  let reached = false;
  const last = await eventually(read, (value) => (reached = done(value)), timeoutMs, intervalMs);
  if (!reached) throw new Error(failure(last));
  return last;
}

/** Waits until `check` holds, failing with `what` when the time is up. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
