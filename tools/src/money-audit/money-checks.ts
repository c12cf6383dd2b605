import { formatCents } from '@vidivo/money';
import type Stripe from 'stripe';
import { Discrepancy } from './discrepancy';
import { HoldRecord, LedgerRecord, PlatformRecords, recordedIntentIds } from './platform-records';
import { callIdOf } from './stripe-records';

/** What the audit compares: our records, the PaymentIntents Stripe has for them, and the ids Stripe has none for. */
export interface MoneyEvidence {
  records: PlatformRecords;
  intents: Stripe.PaymentIntent[];
  missingIntentIds: string[];
  now: Date;
  /** A call that ended less than this long ago may still be settling: its money is not judged yet. */
  settleGraceSeconds: number;
}

/** A call as the audit judges it: `endedAt` once it is over (none while it runs, when open holds are expected). */
interface AuditedCall {
  id: string;
  state: string;
  endedAt?: Date;
  totalCents: number;
}

const ENDED_CALL = new Set(['completed', 'missed', 'failed']);
/** Billing accounts with no call: the guest never came back from card authentication; `abandoned` once its hold was released. */
const OVER_ACCOUNT = new Set(['abandoned', 'settled', 'failed']);

/** Every discrepancy between the platform's records and Stripe's, in a stable order. */
export function findDiscrepancies(evidence: MoneyEvidence): Discrepancy[] {
  const { records, intents, now, settleGraceSeconds } = evidence;
  const settledBefore = now.getTime() - settleGraceSeconds * 1000;
  const recorded = recordedIntentIds(records);
  const ofCall: CallEvidence = {
    intentById: new Map(intents.map((intent) => [intent.id, intent])),
    intents: groupByCall(intents, (intent) => callIdOf(intent)!),
    holds: groupByCall(records.holds, (hold) => hold.call_id),
    ledger: groupByCall(records.ledger, (entry) => entry.call_id),
  };
  const judged = auditedCalls(records, ofCall.holds).filter((call) => call.endedAt && call.endedAt.getTime() <= settledBefore);
  const found = [
    ...judged.flatMap((call) => checkEndedCall(call, ofCall)),
    ...checkDoubleCaptures(intents, recorded),
    ...checkUnknownIntents(evidence, recorded, settledBefore),
    ...checkMissingIntents(evidence),
  ];
  return found.sort((a, b) => `${a.kind} ${a.call_id ?? ''} ${a.payment_intent_id ?? ''}`.localeCompare(`${b.kind} ${b.call_id ?? ''} ${b.payment_intent_id ?? ''}`));
}

/** What the checks of one call read, by call id (an audit of a week may hold tens of thousands of each). */
interface CallEvidence {
  intentById: Map<string, Stripe.PaymentIntent>;
  intents: Map<string, Stripe.PaymentIntent[]>;
  holds: Map<string, HoldRecord[]>;
  ledger: Map<string, LedgerRecord[]>;
}

function groupByCall<T>(items: T[], callIdOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(callIdOf(item));
    if (group) group.push(item);
    else groups.set(callIdOf(item), [item]);
  }
  return groups;
}

/** One per call the platform knows: from calls, or from billing alone for a call that never came to be. */
function auditedCalls(records: PlatformRecords, holdsByCall: Map<string, HoldRecord[]>): AuditedCall[] {
  const calls: AuditedCall[] = records.calls.map((call) => ({
    id: call.id,
    state: `call ${call.status}`,
    endedAt: ENDED_CALL.has(call.status) ? (call.ended_at ?? undefined) : undefined,
    totalCents: call.total_charged_cents,
  }));
  const known = new Set(calls.map((call) => call.id));
  for (const account of records.accounts.filter((candidate) => !known.has(candidate.call_id))) {
    const lastChange = (holdsByCall.get(account.call_id) ?? []).reduce((last, hold) => (hold.updated_at > last ? hold.updated_at : last), account.created_at);
    const over = OVER_ACCOUNT.has(account.status);
    calls.push({ id: account.call_id, state: `billing account ${account.status}, no call`, endedAt: over ? (account.settled_at ?? lastChange) : undefined, totalCents: 0 });
  }
  return calls;
}

/** A call over for longer than the grace: nothing held any more, exactly its total captured, holds and ledger as Stripe says. */
function checkEndedCall(call: AuditedCall, { intentById, ...ofCall }: CallEvidence): Discrepancy[] {
  const intents = ofCall.intents.get(call.id) ?? [];
  const found: Discrepancy[] = intents
    .filter((intent) => intent.status === 'requires_capture')
    .map((intent) => ({
      kind: 'hold_open_after_call_ended',
      call_id: call.id,
      payment_intent_id: intent.id,
      expected: 'succeeded or canceled',
      actual: intent.status,
      message: `${call.state} since ${call.endedAt!.toISOString()}, but its hold of ${formatCents(intent.amount)} (window ${intent.metadata.window ?? '?'}) is still open at Stripe`,
    }));
  const captured = intents.reduce((sum, intent) => sum + intent.amount_received, 0);
  if (captured !== call.totalCents) {
    found.push({
      kind: 'capture_mismatch',
      call_id: call.id,
      expected: formatCents(call.totalCents),
      actual: formatCents(captured),
      message: `${call.state} charged ${formatCents(call.totalCents)}, Stripe captured ${formatCents(captured)}`,
    });
  }
  for (const hold of ofCall.holds.get(call.id) ?? []) {
    const intent = hold.payment_intent_id ? intentById.get(hold.payment_intent_id) : undefined;
    if (intent) found.push(...checkHold(hold, intent));
  }
  for (const entry of (ofCall.ledger.get(call.id) ?? []).filter((candidate) => candidate.outcome === 'succeeded')) {
    const intent = entry.payment_intent_id ? intentById.get(entry.payment_intent_id) : undefined;
    if (intent) found.push(...checkLedgerEntry(entry, intent));
  }
  return found;
}

/** The PaymentIntent state a hold's status stands for, once its call is settled. */
const INTENT_STATUS_OF_HOLD: Record<string, Stripe.PaymentIntent.Status> = {
  captured: 'succeeded',
  cancelled: 'canceled',
  expired: 'canceled',
};

function checkHold(hold: HoldRecord, intent: Stripe.PaymentIntent): Discrepancy[] {
  const where = { call_id: hold.call_id, payment_intent_id: intent.id };
  const found: Discrepancy[] = [];
  const expectedStatus = INTENT_STATUS_OF_HOLD[hold.status];
  // An authorized hold of an ended call is reported as an open hold when Stripe still holds it too.
  const statusDiffers = expectedStatus ? intent.status !== expectedStatus : hold.status === 'authorized' && intent.status !== 'requires_capture';
  if (statusDiffers) {
    found.push({
      kind: 'hold_mismatch',
      ...where,
      expected: expectedStatus ?? 'requires_capture',
      actual: intent.status,
      message: `hold ${hold.id} (window ${hold.window_number}) is ${hold.status}, its PaymentIntent is ${intent.status}`,
    });
  }
  if (hold.captured_cents !== intent.amount_received) {
    found.push({
      kind: 'hold_mismatch',
      ...where,
      expected: formatCents(intent.amount_received),
      actual: formatCents(hold.captured_cents),
      message: `hold ${hold.id} (window ${hold.window_number}) records ${formatCents(hold.captured_cents)} captured, Stripe received ${formatCents(intent.amount_received)}`,
    });
  }
  return found;
}

/** A succeeded authorize held its amount, a succeeded capture took its amount, a succeeded cancel released the PaymentIntent. */
function checkLedgerEntry(entry: LedgerRecord, intent: Stripe.PaymentIntent): Discrepancy[] {
  const disagreement = (expected: string, actual: string, what: string): Discrepancy[] => [
    { kind: 'ledger_mismatch', call_id: entry.call_id, payment_intent_id: intent.id, expected, actual, message: `ledger entry ${entry.id} (${entry.operation} succeeded) ${what}` },
  ];
  const amount = formatCents(entry.amount_cents);
  if (entry.operation === 'authorize' && intent.amount !== entry.amount_cents) {
    return disagreement(amount, formatCents(intent.amount), `held ${amount}, the PaymentIntent is for ${formatCents(intent.amount)}`);
  }
  if (entry.operation === 'capture' && (intent.status !== 'succeeded' || intent.amount_received !== entry.amount_cents)) {
    const actual = intent.status === 'succeeded' ? formatCents(intent.amount_received) : intent.status;
    return disagreement(amount, actual, `captured ${amount}, the PaymentIntent is ${intent.status} with ${formatCents(intent.amount_received)} received`);
  }
  if (entry.operation === 'cancel' && intent.status !== 'canceled') {
    return disagreement('canceled', intent.status, `cancelled the PaymentIntent, which is ${intent.status}`);
  }
  return [];
}

/** Each billing window is captured from one PaymentIntent at most; the one our records name, else the oldest, is the capture, the others are reported. */
function checkDoubleCaptures(intents: Stripe.PaymentIntent[], recorded: Set<string>): Discrepancy[] {
  const capturedByWindow = new Map<string, Stripe.PaymentIntent[]>();
  const firstOfWindow = (a: Stripe.PaymentIntent, b: Stripe.PaymentIntent) => Number(recorded.has(b.id)) - Number(recorded.has(a.id)) || a.created - b.created;
  for (const intent of intents.filter((candidate) => candidate.amount_received > 0).sort(firstOfWindow)) {
    const window = `${callIdOf(intent)} ${intent.metadata.window ?? ''}`;
    capturedByWindow.set(window, [...(capturedByWindow.get(window) ?? []), intent]);
  }
  return [...capturedByWindow.values()]
    .filter((captured) => captured.length > 1)
    .flatMap(([first, ...later]) =>
      later.map((intent) => ({
        kind: 'double_capture',
        call_id: callIdOf(intent),
        payment_intent_id: intent.id,
        expected: '1 capture',
        actual: `${later.length + 1} captures`,
        message: `window ${intent.metadata.window ?? '?'} was captured by ${first.id} (${formatCents(first.amount_received)}) and again by ${intent.id} (${formatCents(intent.amount_received)})`,
      })),
    );
}

/** Ours by metadata, older than the grace (a hold being placed right now is not recorded yet), and named by no hold and no ledger entry. */
function checkUnknownIntents(evidence: MoneyEvidence, recorded: Set<string>, settledBefore: number): Discrepancy[] {
  return evidence.intents
    .filter((intent) => !recorded.has(intent.id) && intent.created * 1000 <= settledBefore)
    .map((intent) => ({
      kind: 'unknown_payment_intent',
      call_id: callIdOf(intent),
      payment_intent_id: intent.id,
      actual: intent.status,
      message: `${intent.id} (${formatCents(intent.amount)}, ${intent.status}, ${formatCents(intent.amount_received)} received, window ${intent.metadata.window ?? '?'}) is named by no hold and no ledger entry`,
    }));
}

/** A PaymentIntent our records name that Stripe does not have: once, as the hold's when a hold names it. */
function checkMissingIntents({ records, missingIntentIds }: MoneyEvidence): Discrepancy[] {
  return missingIntentIds.map((id) => {
    const hold = records.holds.find((candidate) => candidate.payment_intent_id === id);
    if (hold) {
      return {
        kind: 'hold_missing_at_stripe',
        call_id: hold.call_id,
        payment_intent_id: id,
        expected: 'a PaymentIntent',
        actual: 'none',
        message: `hold ${hold.id} (window ${hold.window_number}, ${hold.status}, ${formatCents(hold.amount_cents)}) names ${id}, which Stripe does not have`,
      };
    }
    const entry = records.ledger.find((candidate) => candidate.payment_intent_id === id)!;
    return {
      kind: 'ledger_mismatch',
      call_id: entry.call_id,
      payment_intent_id: id,
      expected: 'a PaymentIntent',
      actual: 'none',
      message: `ledger entry ${entry.id} (${entry.operation} ${entry.outcome}) names ${id}, which Stripe does not have`,
    };
  });
}
