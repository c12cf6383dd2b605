import { Logger } from '@nestjs/common';
import { BillingFakes, LEAD_SECONDS, NO_ANSWER, SERVER_ERROR, TEST_CARDS } from '../../testing';
import { EndCallBillingUseCase } from '../end-call-billing/end-call-billing.use-case';
import { TopUpCallUseCase } from './top-up-call.use-case';

describe('TopUpCallUseCase (decision 11: the next window held before the covered time runs out)', () => {
  let fakes: BillingFakes;
  let topUpCall: TopUpCallUseCase;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    fakes = new BillingFakes();
    const endCallBilling = new EndCallBillingUseCase(fakes.inject.accounts);
    topUpCall = new TopUpCallUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds, endCallBilling, fakes.settings);
  });

  /** A call with five-minute windows whose first window is held, `seconds` into it. */
  const callInto = (seconds: number) => fakes.heldCall({ windows: 1, windowMinutes: 5, startedSecondsAgo: seconds });
  const nextHoldAt = (callId: string) => fakes.accounts.row(callId)!.next_hold_at!.getTime();
  const startedAt = (callId: string) => fakes.accounts.row(callId)!.started_at!.getTime();

  it('places the next window off-session on the saved card once the lead time before the covered time has come, and schedules the one after', async () => {
    const callId = await callInto(5 * 60 - LEAD_SECONDS + 10);
    expect(await fakes.accounts.dueForTopUp(10)).toEqual([callId]);
    await topUpCall.execute({ callId });

    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'authorized']);
    const [, second] = fakes.stripe.intentsOf(callId);
    expect(second).toMatchObject({ status: 'requires_capture', amount: 500, customer: 'cus_guest', payment_method: 'pm_saved_guest', metadata: { call_id: callId, window: '2' } });
    expect(fakes.stripe.requests.filter((request) => request.operation === 'createHold').map((request) => request.offSession)).toEqual([false, true]);
    expect(fakes.stripe.keysOf('createHold').at(-1)).toBe(`vidivo-hold-${callId}-2-1`);
    // Window 2 covers up to 10 minutes in: window 3 is due a lead time before that.
    expect(nextHoldAt(callId) - startedAt(callId)).toBe((10 * 60 - LEAD_SECONDS) * 1000);
    expect(fakes.accounts.row(callId)!.busy_until).toBeNull();
    expect(fakes.announced).toEqual([]);
  });

  it('places each window once: a call not due, or due again at once, or swept by two replicas at the same moment, gets no second hold', async () => {
    const early = await callInto(60);
    await topUpCall.execute({ callId: early });
    expect(fakes.holdRows.statuses(early)).toEqual(['authorized']);

    const due = await callInto(5 * 60 - LEAD_SECONDS + 1);
    await Promise.all([topUpCall.execute({ callId: due }), topUpCall.execute({ callId: due })]);
    await topUpCall.execute({ callId: due });
    expect(fakes.holdRows.statuses(due)).toEqual(['authorized', 'authorized']);
    expect(fakes.stripe.intentsOf(due)).toHaveLength(2);
    expect(fakes.stripe.keysOf('createHold').filter((key) => key.includes(due))).toEqual([`vidivo-hold-${due}-1-1`, `vidivo-hold-${due}-2-1`]);
  });

  it('leaves a call another worker has to it', async () => {
    const callId = await callInto(5 * 60);
    fakes.accounts.leaseElsewhere(callId);
    const before = fakes.stripe.requests.length;
    await topUpCall.execute({ callId });
    expect(fakes.stripe.requests).toHaveLength(before);
  });

  it('ends the call when the next window is declined: billing.payment.failed, once', async () => {
    const callId = await callInto(5 * 60 - 30);
    fakes.stripe.fail('createHold', { kind: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.', temporary: false });
    await topUpCall.execute({ callId });

    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'declined']);
    expect(fakes.eventsOf(callId)).toEqual([
      { subject: 'billing.payment.failed', payload: { call_id: callId, reason: 'the hold for window 2 failed (Your card has insufficient funds.)' } },
    ]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'ending', busy_until: null });
    // No longer active: the sweep does not come back to it.
    expect(await fakes.accounts.dueForTopUp(10)).toEqual([]);
  });

  it('ends the call when the card wants an authentication the guest cannot give during a call (off-session)', async () => {
    const callId = await callInto(5 * 60 - 30);
    // The saved card asks for 3-D Secure on every payment (Stripe's pm_card_authenticationRequired).
    await fakes.accounts.move(callId, ['active'], 'active', { paymentMethodId: TEST_CARDS.authenticationRequired });
    await topUpCall.execute({ callId });
    expect(fakes.stripe.intentsOf(callId).map((intent) => intent.status)).toEqual(['requires_capture', 'requires_payment_method']);
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'declined']);
    expect(fakes.eventsOf(callId).map((event) => event.subject)).toEqual(['billing.payment.failed']);
  });

  it('tries a window whose outcome is unknown again on the next tick with the same key, while the covered time lasts', async () => {
    const callId = await callInto(5 * 60 - 30);
    fakes.stripe.fail('createHold', NO_ANSWER, { times: 3 });
    await topUpCall.execute({ callId });
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'pending']);
    expect(fakes.announced).toEqual([]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'active', busy_until: null });

    await topUpCall.execute({ callId });
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'authorized']);
    const windowTwoKeys = fakes.stripe.keysOf('createHold').filter((key) => key.startsWith(`vidivo-hold-${callId}-2-`));
    expect(new Set(windowTwoKeys)).toEqual(new Set([`vidivo-hold-${callId}-2-1`]));
    expect(windowTwoKeys).toHaveLength(4);
    expect(fakes.stripe.intentsOf(callId)).toHaveLength(2);
  });

  it('ends the call when the outcome is still unknown once the covered time is up', async () => {
    const callId = await callInto(5 * 60 + 5);
    fakes.stripe.fail('createHold', NO_ANSWER, { times: 3 });
    await topUpCall.execute({ callId });
    expect(fakes.eventsOf(callId)).toEqual([
      { subject: 'billing.payment.failed', payload: { call_id: callId, reason: 'the hold for window 2 failed (Stripe could not be reached; no outcome yet)' } },
    ]);
  });

  it('finds a hold Stripe made before answering 500 instead of placing a second one', async () => {
    const callId = await callInto(5 * 60 - 30);
    fakes.stripe.fail('createHold', SERVER_ERROR, { after: true });
    await topUpCall.execute({ callId });
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'authorized']);
    expect(fakes.stripe.intentsOf(callId)).toHaveLength(2);
    expect(fakes.stripe.keysOf('createHold').filter((key) => key.includes(`${callId}-2-`))).toEqual([`vidivo-hold-${callId}-2-1`]);
    expect(fakes.ledger.of(callId, 'lookup')).toHaveLength(1);
  });

  it('places the hold with a new key after a 500 when Stripe has no record of the first try', async () => {
    const callId = await callInto(5 * 60 - 30);
    fakes.stripe.fail('createHold', SERVER_ERROR);
    await topUpCall.execute({ callId });
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'authorized']);
    expect(fakes.stripe.intentsOf(callId)).toHaveLength(2);
    expect(fakes.stripe.keysOf('createHold').filter((key) => key.includes(`${callId}-2-`))).toEqual([`vidivo-hold-${callId}-2-1`, `vidivo-hold-${callId}-2-2`]);
    expect(fakes.holdRows.all(callId)[1].attempt).toBe(2);
  });
});
