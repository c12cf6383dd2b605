import { ErrorCode } from '@vidivo/contracts';
import { BillingFakes, TEST_CARDS } from '../../testing';
import { PlaceFirstHoldUseCase } from '../place-first-hold/place-first-hold.use-case';
import { FindHoldOwnerUseCase } from './find-hold-owner.use-case';

describe('FindHoldOwnerUseCase (decision 25: an authenticated PaymentIntent is good for its own call and purpose)', () => {
  let fakes: BillingFakes;
  let findHoldOwner: FindHoldOwnerUseCase;

  beforeEach(() => {
    fakes = new BillingFakes();
    findHoldOwner = new FindHoldOwnerUseCase(fakes.inject.accounts, fakes.inject.holdRows);
  });

  it('names the call and purpose a first hold was made for', async () => {
    const placeFirstHold = new PlaceFirstHoldUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds, fakes.customers);
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.authenticationRequired });
    await placeFirstHold.execute(request).catch(() => undefined);
    const [intent] = fakes.stripe.intentsOf(request.call_id);
    expect(await findHoldOwner.execute({ paymentIntentId: intent.id })).toEqual({ call_id: request.call_id, purpose: request.purpose });
  });

  it('refuses a PaymentIntent that is not a first hold of ours', async () => {
    const callId = await fakes.heldCall({ windows: 2, startedSecondsAgo: 30 });
    const [, second] = fakes.stripe.intentsOf(callId);
    await expect(findHoldOwner.execute({ paymentIntentId: second.id })).rejects.toMatchObject({ code: ErrorCode.Conflict });
    await expect(findHoldOwner.execute({ paymentIntentId: 'pi_not_ours' })).rejects.toMatchObject({ code: ErrorCode.Conflict });
  });
});
