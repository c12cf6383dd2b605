import fc from 'fast-check';
import {
  CALL_EVENT_TYPES,
  CALL_STATUSES,
  TERMINAL_STATUSES,
  isEndable,
  isOver,
  isTerminal,
  statusesAccepting,
  transition,
  type CallEventType,
  type CallStatus,
  type Refusal,
} from './index';

// Everything below is written out by hand from docs/api/call-lifecycle.md and decisions 10, 11, 13
// and 18, never read back from the implementation.
const STATUSES = ['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'] as const;
const EVENTS = ['host_notified', 'started', 'ended', 'declined', 'no_show', 'billing_failed', 'settlement_failed'] as const;
const LIVE: readonly CallStatus[] = ['waiting', 'ringing', 'active'];
const OVER: readonly CallStatus[] = ['completed', 'missed', 'failed'];

type Expected = { to: CallStatus } | { refusal: Refusal };
const to = (status: CallStatus): Expected => ({ to: status });
const NA: Expected = { refusal: 'not_applicable' };
const DONE: Expected = { refusal: 'already_over' };

const EXPECTED: Record<CallStatus, Record<CallEventType, Expected>> = {
  waiting: {
    host_notified: to('ringing'),
    started: to('active'),
    ended: to('completed'),
    declined: to('completed'),
    no_show: to('missed'),
    billing_failed: to('failed'),
    settlement_failed: NA,
  },
  ringing: {
    host_notified: NA,
    started: to('active'),
    ended: to('completed'),
    declined: to('completed'),
    no_show: to('missed'),
    billing_failed: to('failed'),
    settlement_failed: NA,
  },
  active: { host_notified: NA, started: NA, ended: to('completed'), declined: NA, no_show: NA, billing_failed: to('failed'), settlement_failed: NA },
  completed: { host_notified: DONE, started: DONE, ended: DONE, declined: DONE, no_show: DONE, billing_failed: DONE, settlement_failed: to('failed') },
  missed: { host_notified: DONE, started: DONE, ended: DONE, declined: DONE, no_show: DONE, billing_failed: DONE, settlement_failed: DONE },
  failed: { host_notified: DONE, started: DONE, ended: DONE, declined: DONE, no_show: DONE, billing_failed: DONE, settlement_failed: DONE },
};

/** How far along the lifecycle a status is; every accepted event must move strictly forward. */
const PROGRESS: Record<CallStatus, number> = { waiting: 0, ringing: 1, active: 2, completed: 3, missed: 3, failed: 4 };

const status = fc.constantFrom(...STATUSES);
const event = fc.constantFrom(...EVENTS);
const events = fc.array(event, { maxLength: 30 });

/** Applies events in order, skipping refused ones as a conditional update would; returns every status held. */
function run(start: CallStatus, sequence: readonly CallEventType[]): CallStatus[] {
  const held = [start];
  for (const e of sequence) {
    const result = transition(held[held.length - 1], e);
    if (result.ok) held.push(result.to);
  }
  return held;
}

describe('the exported lists', () => {
  it('name every status and every event once, in lifecycle order', () => {
    expect(CALL_STATUSES).toEqual(STATUSES);
    expect(CALL_EVENT_TYPES).toEqual(EVENTS);
  });

  it('give missed and failed as the terminal statuses', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['failed', 'missed']);
  });

  it('cannot be changed by a careless caller', () => {
    expect(Object.isFrozen(CALL_STATUSES)).toBe(true);
    expect(Object.isFrozen(CALL_EVENT_TYPES)).toBe(true);
    expect(Object.isFrozen(TERMINAL_STATUSES)).toBe(true);
  });
});

describe('transition: every status × every event', () => {
  const cells = STATUSES.flatMap((from) => EVENTS.map((e) => [from, e, EXPECTED[from][e]] as const));

  it('covers the 42 cells', () => {
    expect(cells).toHaveLength(42);
  });

  it.each(cells)('%s + %s → %j', (from, e, expected) => {
    const result = transition(from, e);
    if ('to' in expected) {
      expect(result).toEqual({ ok: true, from, to: expected.to });
    } else {
      expect(result).toEqual({ ok: false, from, refusal: expected.refusal, reason: expect.any(String) });
    }
  });

  it.each(cells.filter(([, , expected]) => 'refusal' in expected))('%s + %s is refused with a short sentence usable as an error message', (from, e) => {
    const result = transition(from, e);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.reason).toMatch(/^[A-Z][^\n]{5,80}[^.\s]$/);
  });

  it('tells a participant ending a finished call that it has already ended', () => {
    for (const from of OVER) {
      const result = transition(from, 'ended');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^The call has already ended/);
    }
    expect(transition('completed', 'ended')).toMatchObject({ reason: 'The call has already ended' });
  });
});

describe('the status predicates', () => {
  it.each([
    ['waiting', false, false, true],
    ['ringing', false, false, true],
    ['active', false, false, true],
    ['completed', false, true, false],
    ['missed', true, true, false],
    ['failed', true, true, false],
  ] as const)('%s: terminal %s, over %s, endable %s', (s, terminal, over, endable) => {
    expect(isTerminal(s)).toBe(terminal);
    expect(isOver(s)).toBe(over);
    expect(isEndable(s)).toBe(endable);
  });
});

describe('statusesAccepting', () => {
  it.each([
    ['host_notified', ['waiting']],
    ['started', ['waiting', 'ringing']],
    ['ended', ['waiting', 'ringing', 'active']],
    ['declined', ['waiting', 'ringing']],
    ['no_show', ['waiting', 'ringing']],
    ['billing_failed', ['waiting', 'ringing', 'active']],
    ['settlement_failed', ['completed']],
  ] as const)('%s starts from %j', (e, expected) => {
    expect(statusesAccepting(e)).toEqual(expected);
  });

  it('hands out a fresh array, so a caller changing it breaks nothing', () => {
    const first = statusesAccepting('ended');
    first.push('missed');
    first.splice(0, 1);
    expect(statusesAccepting('ended')).toEqual(['waiting', 'ringing', 'active']);
  });
});

describe('properties', () => {
  it('is total and deterministic: never throws, same answer every time, whatever was asked before', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, event), { minLength: 1, maxLength: 40 }), (pairs) => {
        const first = pairs.map(([s, e]) => transition(s, e));
        const again = [...pairs]
          .reverse()
          .map(([s, e]) => transition(s, e))
          .reverse();
        expect(again).toEqual(first);
        first.forEach((result, i) => expect(result.from).toBe(pairs[i][0]));
      }),
    );
  });

  it('never throws on garbage read from outside, and never accepts it', () => {
    const anything = fc.oneof(fc.string(), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty'));
    fc.assert(
      fc.property(fc.oneof(status, anything), fc.oneof(event, anything), (s, e) => {
        const known = (STATUSES as readonly string[]).includes(s) && (EVENTS as readonly string[]).includes(e);
        const result = transition(s as CallStatus, e as CallEventType);
        if (!known) expect(result.ok).toBe(false);
        if (!result.ok) expect(typeof result.reason).toBe('string');
      }),
    );
  });

  it('never leaves a terminal status, whatever happens next', () => {
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        const held = run(start, sequence);
        const firstTerminal = held.findIndex((s) => TERMINAL_STATUSES.includes(s));
        if (firstTerminal >= 0) expect(held.slice(firstTerminal + 1)).toEqual([]);
      }),
    );
  });

  it('never brings an over call back to life', () => {
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        const held = run(start, sequence);
        const firstOver = held.findIndex((s) => OVER.includes(s));
        if (firstOver >= 0) for (const s of held.slice(firstOver)) expect(LIVE).not.toContain(s);
      }),
    );
  });

  it('always moves forward: no self-loops, no cycles, at most four moves in a whole life', () => {
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        const held = run(start, sequence);
        for (let i = 1; i < held.length; i++) expect(PROGRESS[held[i]]).toBeGreaterThan(PROGRESS[held[i - 1]]);
        expect(held.length - 1).toBeLessThanOrEqual(4);
        expect(held.slice(1)).not.toContain('waiting');
      }),
    );
  });

  it('ends a call one way only: it is completed or missed, never both', () => {
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        const held = run(start, sequence);
        expect(held.includes('completed') && held.includes('missed')).toBe(false);
      }),
    );
  });

  it('never marks a call missed once the host joined (decision 13)', () => {
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        const held = run(start, sequence);
        if (held.includes('active')) expect(held).not.toContain('missed');
      }),
    );
  });

  it('fails a completed call only through settlement_failed (decision 11)', () => {
    fc.assert(
      fc.property(status, event, (from, e) => {
        const result = transition(from, e);
        if (result.ok && result.from === 'completed') expect([e, result.to]).toEqual(['settlement_failed', 'failed']);
      }),
    );
  });

  it('refuses the same event delivered twice in a row, so redelivery is harmless', () => {
    fc.assert(
      fc.property(status, event, (from, e) => {
        const first = transition(from, e);
        if (first.ok) expect(transition(first.to, e).ok).toBe(false);
      }),
    );
  });

  it('never lets the loser of a race undo the winner', () => {
    fc.assert(
      fc.property(status, event, event, (from, a, b) => {
        const winner = transition(from, a);
        if (!winner.ok || a === b) return;
        const loser = transition(winner.to, b);
        // The loser may still apply on top (notified, then started) but never undoes the winner.
        if (loser.ok) expect(PROGRESS[loser.to]).toBeGreaterThan(PROGRESS[winner.to]);
        if (isOver(winner.to) && !loser.ok) expect(loser.refusal).toBe('already_over');
      }),
    );
  });

  it('says already_over exactly when the call is over, not_applicable exactly when it is live', () => {
    fc.assert(
      fc.property(status, event, (from, e) => {
        const result = transition(from, e);
        if (!result.ok) expect(result.refusal).toBe(OVER.includes(from) ? 'already_over' : 'not_applicable');
      }),
    );
  });

  it('accepts nothing but settlement_failed once a call is over', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OVER), event, (from, e) => {
        if (transition(from, e).ok) expect([from, e]).toEqual(['completed', 'settlement_failed']);
      }),
    );
  });

  it('statusesAccepting(e) is exactly the set of statuses e moves (the WHERE clause matches the rule)', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(statusesAccepting(e)).toEqual(STATUSES.filter((s) => transition(s, e).ok));
      }),
    );
  });

  it('keeps the predicates in line with the transitions', () => {
    fc.assert(
      fc.property(status, (s) => {
        expect(isEndable(s)).toBe(transition(s, 'ended').ok);
        expect(isTerminal(s)).toBe(EVENTS.every((e) => !transition(s, e).ok));
        expect(isOver(s)).toBe(!isEndable(s));
        expect(isOver(s)).toBe(EVENTS.every((e) => e === 'settlement_failed' || !transition(s, e).ok));
        if (isTerminal(s)) expect(isOver(s)).toBe(true);
      }),
    );
  });

  it('reaches every status from waiting, by the paths the lifecycle diagram draws', () => {
    const reached = new Set<CallStatus>();
    fc.assert(
      fc.property(events, (sequence) => {
        const held = run('waiting', sequence);
        held.forEach((s) => reached.add(s));
        const pairs = held.slice(1).map((s, i) => `${held[i]}>${s}`);
        const drawn = [
          'waiting>ringing',
          'waiting>active',
          'ringing>active',
          'waiting>completed',
          'ringing>completed',
          'active>completed',
          'waiting>missed',
          'ringing>missed',
          'waiting>failed',
          'ringing>failed',
          'active>failed',
          'completed>failed',
        ];
        for (const pair of pairs) expect(drawn).toContain(pair);
      }),
      { numRuns: 500 },
    );
    expect([...reached].sort()).toEqual([...STATUSES].sort());
  });
});
