import { Logger } from '@nestjs/common';
import { BillingFakes } from '../../testing';
import { EndCallBillingUseCase } from './end-call-billing.use-case';

describe('EndCallBillingUseCase (decision 11: a call its holds no longer cover ends)', () => {
  let fakes: BillingFakes;
  let endCallBilling: EndCallBillingUseCase;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    fakes = new BillingFakes();
    endCallBilling = new EndCallBillingUseCase(fakes.inject.accounts);
  });

  it('announces billing.payment.failed with the reason, once, and the call stops being topped up', async () => {
    const callId = await fakes.heldCall({ windows: 1, startedSecondsAgo: 30 });
    expect(await endCallBilling.execute({ callId, reason: 'the hold for window 2 failed (declined)' })).toBe(true);
    expect(await endCallBilling.execute({ callId, reason: 'the hold pi_1 was cancelled at Stripe' })).toBe(false);
    expect(fakes.eventsOf(callId)).toEqual([{ subject: 'billing.payment.failed', payload: { call_id: callId, reason: 'the hold for window 2 failed (declined)' } }]);
    expect(fakes.accounts.row(callId)!.status).toBe('ending');
    expect(await fakes.accounts.dueForTopUp(10)).toEqual([]);
  });

  it('ends a call still waiting for its host too', async () => {
    const callId = await fakes.heldCall({ windows: 1 });
    expect(await endCallBilling.execute({ callId, reason: 'the hold was cancelled at Stripe' })).toBe(true);
    expect(fakes.accounts.row(callId)!.status).toBe('ending');
  });

  it('leaves a call alone once its settlement has begun, and one billing does not know', async () => {
    const callId = await fakes.heldCall({ windows: 1, startedSecondsAgo: 30 });
    await fakes.accounts.countSettleAttempt(callId);
    expect(await endCallBilling.execute({ callId, reason: 'too late' })).toBe(false);
    expect(await endCallBilling.execute({ callId: 'CALL_UNKNOWN_00000000000000', reason: 'unknown' })).toBe(false);
    expect(fakes.announced).toEqual([]);
  });
});
