import { currentRequestId, parseRequestId, requestIdFrom, runWithRequestContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it.each(['abc-123', '3f2b1c9e-7d7a-4c1e-9a55-0c3b8e1d2f44', '01JD8X3K6Q9V2M4N7P0R5S8T1W', 'req_42', 'trace:span.1', 'a', 'x'.repeat(128)])(
    "takes the caller's %p as it is",
    (id) => {
      expect(parseRequestId(id)).toBe(id);
      expect(requestIdFrom(id)).toBe(id);
    },
  );

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a space', 'abc 123'],
    ['with a line break (a forged log line)', 'abc\n{"level":"error"}'],
    ['with quotes', 'abc"123'],
    ['starting with a dash', '-abc'],
    ['two ids joined by a proxy', 'abc-123, def-456'],
    ['non-ASCII', 'abc-ä'],
    ['a list of header values', ['abc-123', 'def-456']],
    ['missing', undefined],
    ['a number', 42],
  ])('refuses a request id that is %s, and makes a new one instead', (_, value) => {
    expect(parseRequestId(value)).toBeUndefined();
    const made = requestIdFrom(value);
    expect(made).toMatch(UUID);
    expect(requestIdFrom(value)).not.toBe(made);
  });
});

describe('request context', () => {
  it('has no request id outside a request', () => {
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps the id through awaits and timers of the same request, and not after it', async () => {
    const seen = await runWithRequestContext({ requestId: 'outer-1' }, async () => {
      const before = currentRequestId();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const afterTimer = await new Promise((resolve) => setImmediate(() => resolve(currentRequestId())));
      return [before, afterTimer];
    });
    expect(seen).toEqual(['outer-1', 'outer-1']);
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps concurrent requests apart, and a nested request (a message handled in-process) wins inside', async () => {
    const run = (id: string, delay: number) =>
      runWithRequestContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        const nested = runWithRequestContext({ requestId: `${id}-inner` }, () => currentRequestId());
        return [currentRequestId(), nested];
      });
    await expect(Promise.all([run('a', 10), run('b', 1)])).resolves.toEqual([
      ['a', 'a-inner'],
      ['b', 'b-inner'],
    ]);
  });
});
