import { ErrorCode } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { BillingFakes, NO_ANSWER, TEST_CARDS } from '../../testing';
import { PlaceFirstHoldUseCase } from './place-first-hold.use-case';

/** The AppError a promise rejects with, to compare its code and message. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('PlaceFirstHoldUseCase (decisions 11, 24, 25: the first window, held while the guest waits)', () => {
  let fakes: BillingFakes;
  let placeFirstHold: PlaceFirstHoldUseCase;

  beforeEach(() => {
    fakes = new BillingFakes();
    placeFirstHold = new PlaceFirstHoldUseCase(fakes.inject.accounts, fakes.inject.holdRows, fakes.holds, fakes.customers);
  });

  it("holds one window on the guest's Customer, on session, saving the card for the later windows", async () => {
    const request = fakes.firstHoldRequest({ rate_per_minute: '2.50', window_size_minutes: 5 });
    const hold = await placeFirstHold.execute(request);

    const [intent] = fakes.stripe.intentsOf(request.call_id);
    expect(hold).toEqual({ hold_id: expect.any(String), call_id: request.call_id, window: 1, amount: '12.50', status: 'authorized' });
    expect(intent).toMatchObject({
      status: 'requires_capture',
      amount: 1250,
      customer: `cus_${request.guest.id}`,
      description: 'Call with Ada at $2.50/min',
      receipt_email: 'grace@example.com',
      metadata: { call_id: request.call_id, window: '1' },
    });
    expect(fakes.stripe.requests.find((sent) => sent.operation === 'createHold')).toMatchObject({ offSession: false, idempotencyKey: `vidivo-hold-${request.call_id}-1-1` });
    // Later windows go on the card Stripe saved to the Customer.
    expect(fakes.accounts.row(request.call_id)).toMatchObject({
      status: 'holding',
      payment_method_id: intent.payment_method,
      customer_id: `cus_${request.guest.id}`,
      busy_until: null,
    });
    expect(fakes.ledger.of(request.call_id, 'authorize').map((entry) => entry.outcome)).toEqual(['succeeded']);
  });

  it("makes the guest's Customer once and reuses it for every later call", async () => {
    const first = fakes.firstHoldRequest();
    const second = fakes.firstHoldRequest();
    await placeFirstHold.execute(first);
    await placeFirstHold.execute(second);
    expect(fakes.stripe.keysOf('createCustomer')).toEqual([`vidivo-customer-${first.guest.id}-${first.call_id}`]);
    expect(fakes.stripe.intentsOf(second.call_id)[0].customer).toBe(`cus_${first.guest.id}`);
  });

  it('counts only requires_capture as held: a card that needs authentication answers payment_action_required and holds nothing', async () => {
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.authenticationRequired });
    const error = await refusal(placeFirstHold.execute(request));

    const [intent] = fakes.stripe.intentsOf(request.call_id);
    expect(error.code).toBe(ErrorCode.PaymentActionRequired);
    expect(error.paymentAction).toEqual({ payment_intent_id: intent.id, client_secret: intent.client_secret, next_action: intent.next_action });
    expect(fakes.holdRows.statuses(request.call_id)).toEqual(['requires_action']);
    expect(fakes.accounts.row(request.call_id)).toMatchObject({ status: 'authenticating', busy_until: null });
  });

  it('takes the authenticated PaymentIntent as the first hold once the guest is back, and only once', async () => {
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.authenticationRequired });
    await refusal(placeFirstHold.execute(request));
    const [intent] = fakes.stripe.intentsOf(request.call_id);
    const comeBack = fakes.firstHoldRequest({ call_id: request.call_id, payment_method_id: undefined, payment_intent_id: intent.id });

    const early = await refusal(placeFirstHold.execute(comeBack));
    expect([early.code, early.message]).toEqual([ErrorCode.Conflict, 'The card has not been authenticated yet']);
    expect(fakes.accounts.row(request.call_id)!.status).toBe('authenticating');

    fakes.stripe.authenticate(intent.id, 'succeed');
    const hold = await placeFirstHold.execute(comeBack);
    expect(hold).toMatchObject({ call_id: request.call_id, window: 1, amount: '1.00', status: 'authorized' });
    expect(fakes.accounts.row(request.call_id)).toMatchObject({ status: 'holding', payment_method_id: `pm_saved_${intent.id}` });
    // No second PaymentIntent: the authenticated one is the hold.
    expect(fakes.stripe.intentsOf(request.call_id)).toHaveLength(1);

    const again = await refusal(placeFirstHold.execute(comeBack));
    expect([again.code, again.message]).toEqual([ErrorCode.Conflict, 'This payment already backs a call']);
  });

  it('refuses an authenticated PaymentIntent made for another link, or one whose authentication failed', async () => {
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.authenticationRequired });
    await refusal(placeFirstHold.execute(request));
    const [intent] = fakes.stripe.intentsOf(request.call_id);
    const comeBack = fakes.firstHoldRequest({ call_id: request.call_id, payment_method_id: undefined, payment_intent_id: intent.id });

    const elsewhere = await refusal(placeFirstHold.execute({ ...comeBack, purpose: 'link:01JOTHERLINK00000000000000' }));
    expect([elsewhere.code, elsewhere.message]).toEqual([ErrorCode.Conflict, 'This payment was not made for this call']);

    fakes.stripe.authenticate(intent.id, 'fail');
    const failed = await refusal(placeFirstHold.execute(comeBack));
    expect(failed.code).toBe(ErrorCode.StripeError);
    expect(failed.message).toMatch(/^The card could not be authenticated/);
    expect(fakes.holdRows.statuses(request.call_id)).toEqual(['declined']);
  });

  it('answers stripe_error for a declined card, and lets the guest try the same call again with another card (a new key)', async () => {
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.declined });
    const declined = await refusal(placeFirstHold.execute(request));
    expect(declined.code).toBe(ErrorCode.StripeError);
    expect(declined.message).toMatch(/^The payment could not be authorized/);
    expect(fakes.holdRows.statuses(request.call_id)).toEqual(['declined']);

    const hold = await placeFirstHold.execute({ ...request, payment_method_id: TEST_CARDS.visa });
    expect(hold.status).toBe('authorized');
    expect(fakes.stripe.keysOf('createHold')).toEqual([`vidivo-hold-${request.call_id}-1-1`, `vidivo-hold-${request.call_id}-1-2`]);
  });

  it('tries a temporary decline (processing_error) again with a new key before it counts', async () => {
    const request = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.processingError });
    expect((await refusal(placeFirstHold.execute(request))).code).toBe(ErrorCode.StripeError);
    expect(fakes.stripe.keysOf('createHold')).toEqual([1, 2, 3].map((attempt) => `vidivo-hold-${request.call_id}-1-${attempt}`));
    expect(fakes.ledger.of(request.call_id, 'authorize').map((entry) => entry.outcome)).toEqual(['declined', 'declined', 'declined']);
  });

  it('answers "try again" when Stripe does not answer, having asked with one key, and holds nothing', async () => {
    const request = fakes.firstHoldRequest();
    fakes.stripe.fail('createHold', NO_ANSWER, { times: 3 });
    const unreachable = await refusal(placeFirstHold.execute(request));
    expect(unreachable.code).toBe(ErrorCode.ServiceUnavailable);
    expect(unreachable.message).toMatch(/not reachable.*try again/);
    expect(new Set(fakes.stripe.keysOf('createHold'))).toEqual(new Set([`vidivo-hold-${request.call_id}-1-1`]));
    expect(fakes.holdRows.statuses(request.call_id)).toEqual(['pending']);
    expect(fakes.accounts.row(request.call_id)!.busy_until).toBeNull();
  });

  it('refuses a second first hold for a call that has one, and a join while another is talking to Stripe for the call', async () => {
    const request = fakes.firstHoldRequest();
    await placeFirstHold.execute(request);
    const twice = await refusal(placeFirstHold.execute(request));
    expect([twice.code, twice.message]).toEqual([ErrorCode.Conflict, 'This call already has its first hold']);

    const busy = fakes.firstHoldRequest({ payment_method_id: TEST_CARDS.declined });
    await refusal(placeFirstHold.execute(busy));
    fakes.accounts.leaseElsewhere(busy.call_id);
    const meanwhile = await refusal(placeFirstHold.execute({ ...busy, payment_method_id: TEST_CARDS.visa }));
    expect([meanwhile.code, meanwhile.message]).toEqual([ErrorCode.Conflict, 'A payment for this call is already in progress']);
    expect(fakes.stripe.intentsOf(busy.call_id)).toHaveLength(1);
  });
});
