/**
 * The call lifecycle (docs/api/call-lifecycle.md, decisions 10, 11, 13 and 18) as a pure transition
 * function. It knows nothing about time, holds or the database: the use cases decide that something
 * happened, ask here whether the call may move, and make the move with a conditional update
 * (`WHERE status IN (statusesAccepting(event))`) so that two replicas racing on the same call cannot
 * both win.
 *
 *   waiting ──host_notified──▶ ringing
 *   waiting | ringing ──started──▶ active
 *   waiting | ringing | active ──ended──▶ completed ──settlement_failed──▶ failed
 *   waiting | ringing ──declined──▶ completed
 *   waiting | ringing ──no_show──▶ missed
 *   waiting | ringing | active ──billing_failed──▶ failed
 */

export type CallStatus = 'waiting' | 'ringing' | 'active' | 'completed' | 'missed' | 'failed';

/** In lifecycle order; the order `statusesAccepting` answers in. */
export const CALL_STATUSES: readonly CallStatus[] = Object.freeze(['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'] as const);

export type CallEventType =
  /** An `incoming_call` notification reached a live host connection (decision 13). */
  | 'host_notified'
  /** Both participants are in: the timer starts (decisions 10 and 18). */
  | 'started'
  /** A participant ended the call (`POST /v1/calls/:id/end`). */
  | 'ended'
  /** The host turned down a call that was still waiting for them (decision 30). */
  | 'declined'
  /** The no-show threshold passed with the host still absent (decision 13). */
  | 'no_show'
  /** A hold could not be placed, at join or for the next window (decision 11). */
  | 'billing_failed'
  /** The capture after a completed call failed for good (decision 11). */
  | 'settlement_failed';

export const CALL_EVENT_TYPES: readonly CallEventType[] = Object.freeze([
  'host_notified',
  'started',
  'ended',
  'declined',
  'no_show',
  'billing_failed',
  'settlement_failed',
] as const);

/**
 * `already_over`: the call is over for its participants, so the caller lost a race or repeated
 * itself (an end after a no-show, a second end) — usually a 409 with nothing left to do.
 * `not_applicable`: the call is live but the event does not fit where it is (a second
 * `host_notified`, a `no_show` once the host is in) — usually a duplicate delivery to ignore.
 */
export type Refusal = 'already_over' | 'not_applicable';

export type Transition = { ok: true; from: CallStatus; to: CallStatus } | { ok: false; from: CallStatus; refusal: Refusal; reason: string };

type Moves = Readonly<Partial<Record<CallStatus, CallStatus>>>;

/**
 * The whole lifecycle: for each event, the statuses it may start from and where it leads.
 * Anything not listed is refused. No entry leads back to a status it could come from, so every
 * accepted event makes progress and a redelivered event is always refused.
 */
const MOVES: Readonly<Record<CallEventType, Moves>> = Object.freeze({
  // Only the first notification rings; later ones (another host tab, a retry) change nothing.
  host_notified: { waiting: 'ringing' },
  // A host with no live connection is never notified (decision 13) and a scheduled call is simply
  // joined by both (decision 18), so a call can start from waiting as well as from ringing.
  started: { waiting: 'active', ringing: 'active' },
  // Either participant may end while the call is live; ended before it started it is still
  // completed, with nothing billed (decision 10).
  ended: { waiting: 'completed', ringing: 'completed', active: 'completed' },
  // Declining is answering a call that rings: once it has started, it can only be ended (decision 30).
  declined: { waiting: 'completed', ringing: 'completed' },
  // A host who has joined cannot be a no-show, so active is not a source (decision 13).
  no_show: { waiting: 'missed', ringing: 'missed' },
  // A hold failing at any point while the call is live fails it (decision 11).
  billing_failed: { waiting: 'failed', ringing: 'failed', active: 'failed' },
  // completed is over but not final: its capture may still fail for good (decision 11). A missed
  // call captures nothing, and a failed one is failed already.
  settlement_failed: { completed: 'failed' },
});

/** Over for the participants: nothing they or the sweeper do can revive the call. */
const OVER_STATUSES: readonly CallStatus[] = Object.freeze(['completed', 'missed', 'failed'] as const);

/** No event at all moves the call out of these. */
export const TERMINAL_STATUSES: readonly CallStatus[] = Object.freeze(['missed', 'failed'] as const);

/** Why an over call refuses, worded for an API error message (the 409 of `/end`, say). */
const ALREADY_OVER_REASONS: Readonly<Partial<Record<CallStatus, string>>> = Object.freeze({
  completed: 'The call has already ended',
  missed: 'The call has already ended: the host did not join in time',
  failed: 'The call has already ended: billing failed',
});

/** Why a live call refuses an event that does not fit its current status. */
const NOT_APPLICABLE_REASONS: Readonly<Record<CallEventType, string>> = Object.freeze({
  host_notified: 'The host has already been notified',
  started: 'The call has already started',
  ended: 'The call cannot be ended now',
  declined: 'The call has started: end it instead of declining it',
  no_show: 'The host has already joined the call',
  billing_failed: 'The call cannot fail on billing now',
  settlement_failed: 'The call has not ended yet, so there is nothing to settle',
});

const UNKNOWN_EVENT_REASON = 'This does not apply to the call';

/** Own-property lookup, so a status read from the database as "constructor" finds nothing. */
function lookup<K extends string, V>(table: Readonly<Partial<Record<K, V>>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key as K] : undefined;
}

/** Where `event` takes a call in status `from`, or why it may not. Pure and total: never throws. */
export function transition(from: CallStatus, event: CallEventType): Transition {
  const moves = lookup(MOVES, event);
  const to = moves && lookup(moves, from);
  if (to !== undefined) return { ok: true, from, to };
  if (isOver(from)) {
    return { ok: false, from, refusal: 'already_over', reason: lookup(ALREADY_OVER_REASONS, from) ?? 'The call is over' };
  }
  return {
    ok: false,
    from,
    refusal: 'not_applicable',
    reason: lookup(NOT_APPLICABLE_REASONS, event) ?? UNKNOWN_EVENT_REASON,
  };
}

export function isTerminal(status: CallStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The call is over for its participants (completed, missed, failed): nothing but settlement_failed applies. */
export function isOver(status: CallStatus): boolean {
  return OVER_STATUSES.includes(status);
}

/** waiting, ringing, active: the call can still be ended by a participant. */
export function isEndable(status: CallStatus): boolean {
  return lookup(MOVES.ended, status) !== undefined;
}

/**
 * The statuses an event may start from, in lifecycle order (for building SQL WHERE clauses for
 * conditional updates). A fresh array each time: callers may keep or change it.
 */
export function statusesAccepting(event: CallEventType): CallStatus[] {
  const moves = lookup(MOVES, event);
  return CALL_STATUSES.filter((status) => moves !== undefined && lookup(moves, status) !== undefined);
}
