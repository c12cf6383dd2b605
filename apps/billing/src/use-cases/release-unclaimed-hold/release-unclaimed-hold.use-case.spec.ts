import { BillingFakes, NO_ANSWER, TEST_CARDS } from '../../testing';
import { PlaceFirstHoldUseCase } from '../place-first-hold/place-first-hold.use-case';
import { ReleaseUnclaimedHoldUseCase, UNCLAIMED_HOLD_SECONDS } from './release-unclaimed-hold.use-case';

describe('ReleaseUnclaimedHoldUseCase (decision 25: an authenticated hold nobody joins with is given back)', () => {
  let fakes: BillingFakes;
  let releaseUnclaimedHold: ReleaseUnclaimedHoldUseCase;

  beforeEach(() => {
    fakes = new BillingFakes();
    releaseUnclaimedHold = new ReleaseUnclaimedHoldUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds);
  });

  /** A first hold that asked for authentication `secondsAgo`, authenticated by the guest, who never came back. */
  const unclaimed = async (secondsAgo: number) => {
    const placeFirstHold = new PlaceFirstHoldUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds, fakes.customers);
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.authenticationRequired });
    await placeFirstHold.execute(request).catch(() => undefined);
    const [intent] = fakes.stripe.intentsOf(request.call_id);
    fakes.stripe.authenticate(intent.id, 'succeed');
    fakes.accounts.timePasses(request.call_id, secondsAgo);
    return request.call_id;
  };

  it('cancels the PaymentIntent and abandons the account once the wait is over', async () => {
    const callId = await unclaimed(UNCLAIMED_HOLD_SECONDS + 60);
    expect(await fakes.accounts.authenticatingSince(UNCLAIMED_HOLD_SECONDS, 10)).toEqual([callId]);
    await releaseUnclaimedHold.execute({ callId });
    expect(fakes.intentStates(callId)).toEqual([['canceled', 0]]);
    expect(fakes.holdRows.statuses(callId)).toEqual(['cancelled']);
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'abandoned', busy_until: null });
  });

  it('keeps the account waiting when Stripe does not answer, to be released on a later sweep', async () => {
    const callId = await unclaimed(UNCLAIMED_HOLD_SECONDS + 60);
    fakes.stripe.fail('cancel', NO_ANSWER, { times: 3 });
    await releaseUnclaimedHold.execute({ callId });
    expect(fakes.accounts.row(callId)).toMatchObject({ status: 'authenticating', busy_until: null });
    await releaseUnclaimedHold.execute({ callId });
    expect(fakes.intentStates(callId)).toEqual([['canceled', 0]]);
    expect(fakes.accounts.row(callId)!.status).toBe('abandoned');
  });

  it('leaves a hold the guest has come back with meanwhile', async () => {
    const callId = await unclaimed(UNCLAIMED_HOLD_SECONDS + 60);
    await fakes.accounts.move(callId, ['authenticating'], 'holding');
    await releaseUnclaimedHold.execute({ callId });
    expect(fakes.intentStates(callId)).toEqual([['requires_capture', 0]]);
  });
});
