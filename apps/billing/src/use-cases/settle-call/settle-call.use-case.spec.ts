import { Logger } from '@nestjs/common';
import { BillingFakes, NO_ANSWER, SERVER_ERROR } from '../../testing';
import { MAX_SETTLE_ATTEMPTS, SettleCallUseCase } from './settle-call.use-case';

describe('SettleCallUseCase (decision 11: exactly total_charged, the rest released)', () => {
  let fakes: BillingFakes;
  let settleCall: SettleCallUseCase;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    fakes = new BillingFakes();
    settleCall = new SettleCallUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds);
  });

  /** Three five-minute windows at 1.00/min: 5.00 held in each. */
  const threeWindows = () => fakes.heldCall({ windows: 3, windowMinutes: 5, startedSecondsAgo: 600 });

  it('captures exactly total_charged across the windows, oldest first and the last one partially, and cancels the unused hold', async () => {
    const callId = await threeWindows();
    await settleCall.execute({ callId, totalCharged: '7.00' });

    expect(fakes.intentStates(callId)).toEqual([
      ['succeeded', 500],
      ['succeeded', 200],
      ['canceled', 0],
    ]);
    expect(fakes.holdRows.statuses(callId)).toEqual(['captured', 'captured', 'cancelled']);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.completed', payload: { call_id: callId, captured: '7.00', cancelled_holds: 1 } }]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'settled', total_due_cents: 700, captured_cents: 700, settle_attempts: 1, busy_until: null });
    const [first, second] = fakes.holdRows.all(callId);
    expect(fakes.stripe.keysOf('capture')).toEqual([`vidivo-capture-${first.id}-1`, `vidivo-capture-${second.id}-1`]);
  });

  it('captures nothing from a call that never became active and releases its hold', async () => {
    const callId = await fakes.heldCall({ windows: 1 });
    await settleCall.execute({ callId, totalCharged: '0.00' });
    expect(fakes.intentStates(callId)).toEqual([['canceled', 0]]);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.completed', payload: { call_id: callId, captured: '0.00', cancelled_holds: 1 } }]);
  });

  it('settles once: the same call ended again (a redelivered event) asks Stripe nothing more', async () => {
    const callId = await threeWindows();
    await settleCall.execute({ callId, totalCharged: '7.00' });
    const requests = fakes.stripe.requests.length;
    await settleCall.execute({ callId, totalCharged: '7.00' });
    expect(fakes.stripe.requests).toHaveLength(requests);
    expect(fakes.eventsOf(callId)).toHaveLength(1);
  });

  it('does nothing for a call billing never held money for', async () => {
    await settleCall.execute({ callId: 'CALL_NEVER_HELD_0000000000', totalCharged: '0.00' });
    expect(fakes.stripe.requests).toEqual([]);
    expect(fakes.announced).toEqual([]);
  });

  it('leaves a call whose holds another worker has to a later try (the event is redelivered), without a word to Stripe', async () => {
    const callId = await threeWindows();
    fakes.accounts.leaseElsewhere(callId);
    const before = fakes.stripe.requests.length;
    await expect(settleCall.execute({ callId, totalCharged: '7.00' })).rejects.toThrow(/busy with Stripe/);
    expect(fakes.stripe.requests).toHaveLength(before);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'active', settle_attempts: 0 });
  });

  it('fails the call when Stripe refuses a capture: billing.settlement.failed, the other holds still released', async () => {
    const callId = await threeWindows();
    fakes.stripe.fail('capture', { kind: 'rejected', code: 'amount_too_large', message: 'Amount to capture is too large' });
    await settleCall.execute({ callId, totalCharged: '3.00' });

    const [first] = fakes.holdRows.all(callId);
    expect(fakes.holdRows.statuses(callId)).toEqual(['failed', 'cancelled', 'cancelled']);
    expect(fakes.eventsOf(callId)).toEqual([
      { subject: 'billing.settlement.failed', payload: { call_id: callId, reason: `capture of ${first.id} refused: Amount to capture is too large` } },
    ]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'failed', total_due_cents: 300, captured_cents: 0 });
  });

  it('fails the settlement when the holds left cannot cover the total (one expired before the end), capturing what they hold', async () => {
    const callId = await fakes.heldCall({ windows: 2, windowMinutes: 5, startedSecondsAgo: 600 });
    // The webhook of decision 26 has recorded the first hold as expired.
    const [expired] = fakes.holdRows.all(callId);
    fakes.stripe.cancelOutside(expired.payment_intent_id!);
    await fakes.holdRows.expiredIfAuthorized(expired);

    await settleCall.execute({ callId, totalCharged: '7.00' });
    expect(fakes.intentStates(callId)).toEqual([
      ['canceled', 0],
      ['succeeded', 500],
    ]);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.failed', payload: { call_id: callId, reason: 'holds short by 2.00 of 7.00' } }]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'failed', total_due_cents: 700, captured_cents: 500 });
  });

  it('plans again when a hold turns out lost at Stripe while it runs: the later holds cover its share', async () => {
    const callId = await threeWindows();
    const [lost] = fakes.stripe.intentsOf(callId);
    fakes.stripe.cancelOutside(lost.id);
    await settleCall.execute({ callId, totalCharged: '7.00' });
    expect(fakes.intentStates(callId)).toEqual([
      ['canceled', 0],
      ['succeeded', 500],
      ['succeeded', 200],
    ]);
    expect(fakes.holdRows.statuses(callId)).toEqual(['expired', 'captured', 'captured']);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.completed', payload: { call_id: callId, captured: '7.00', cancelled_holds: 0 } }]);
  });

  it('looks a capture answered with a 500 up, and captures it once with a new key (Stripe replays the 500 for the old one)', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 5, startedSecondsAgo: 60 });
    fakes.stripe.fail('capture', SERVER_ERROR);
    await settleCall.execute({ callId, totalCharged: '1.00' });
    const [hold] = fakes.holdRows.all(callId);
    expect(fakes.stripe.keysOf('capture')).toEqual([`vidivo-capture-${hold.id}-1`, `vidivo-capture-${hold.id}-2`]);
    expect(fakes.intentStates(callId)).toEqual([['succeeded', 100]]);
    expect(fakes.ledger.of(callId, 'capture').map((entry) => entry.outcome)).toEqual(['unknown', 'succeeded']);
    expect(fakes.ledger.of(callId, 'lookup')).toHaveLength(1);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.completed', payload: { call_id: callId, captured: '1.00', cancelled_holds: 0 } }]);
  });

  it('takes a capture that happened before its 500 as done: no second capture', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 5, startedSecondsAgo: 60 });
    fakes.stripe.fail('capture', SERVER_ERROR, { after: true });
    await settleCall.execute({ callId, totalCharged: '1.00' });
    expect(fakes.stripe.keysOf('capture')).toHaveLength(1);
    expect(fakes.intentStates(callId)).toEqual([['succeeded', 100]]);
    expect(fakes.holdRows.all(callId)[0]).toMatchObject({ status: 'captured', captured_cents: 100 });
  });

  it('asks again with the same key while Stripe does not answer, is retried, and gives up after the last attempt', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 5, startedSecondsAgo: 60 });
    fakes.stripe.fail('capture', NO_ANSWER, { times: Infinity });
    for (let attempt = 1; attempt < MAX_SETTLE_ATTEMPTS; attempt++) {
      await expect(settleCall.execute({ callId, totalCharged: '1.00' })).rejects.toThrow(/will be retried/);
      expect(fakes.accounts.row(callId)).toMatchObject({ status: 'active', settle_attempts: attempt, busy_until: null });
    }
    expect(fakes.announced).toEqual([]);
    await settleCall.execute({ callId, totalCharged: '1.00' });

    const [hold] = fakes.holdRows.all(callId);
    expect(new Set(fakes.stripe.keysOf('capture'))).toEqual(new Set([`vidivo-capture-${hold.id}-1`]));
    expect(fakes.eventsOf(callId)).toEqual([
      { subject: 'billing.settlement.failed', payload: { call_id: callId, reason: `capture of ${hold.id}: Stripe could not be reached; no outcome yet` } },
    ]);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'failed', settle_attempts: MAX_SETTLE_ATTEMPTS, captured_cents: 0 });
  });

  it('first settles a window whose placing lost its answer: Stripe has no record of it, so it holds nothing', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 1, startedSecondsAgo: 30 });
    fakes.stripe.fail('createHold', NO_ANSWER, { times: 3 });
    expect((await fakes.holds.place((await fakes.accounts.find(callId))!, 2)).kind).toBe('unknown');
    expect(fakes.holdRows.statuses(callId)).toEqual(['authorized', 'pending']);

    await settleCall.execute({ callId, totalCharged: '1.00' });
    expect(fakes.holdRows.statuses(callId)).toEqual(['captured', 'declined']);
    expect(fakes.intentStates(callId)).toEqual([['succeeded', 100]]);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.settlement.completed', payload: { call_id: callId, captured: '1.00', cancelled_holds: 0 } }]);
  });
});
