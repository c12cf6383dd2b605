import Stripe from 'stripe';
import { failure, holdParams, http, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

describe('Customers', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it('creates a Customer with email, name, description and metadata and retrieves it (https://docs.stripe.com/api/customers/create)', async () => {
    const created = await stripe.customers.create({ email: 'ana@example.com', name: 'Ana', description: 'a caller', metadata: { user_id: 'u1' } });
    expect(created).toMatchObject({
      object: 'customer',
      email: 'ana@example.com',
      name: 'Ana',
      description: 'a caller',
      metadata: { user_id: 'u1' },
      livemode: false,
      balance: 0,
      invoice_settings: { default_payment_method: null },
    });
    expect(created.id).toMatch(/^cus_\w{14}$/);
    const { lastResponse: _, ...body } = created;
    expect({ ...(await stripe.customers.retrieve(created.id)), lastResponse: undefined }).toEqual({ ...body, lastResponse: undefined });
  });

  it('emits customer.created with a snapshot of the Customer (https://docs.stripe.com/api/events/types#event_types-customer.created)', async () => {
    const customer = await stripe.customers.create({ email: 'bo@example.com' });
    const event = emulator.events().find((candidate) => candidate.type === 'customer.created' && candidate.data.object.id === customer.id);
    expect(event?.data.object).toMatchObject({ id: customer.id, email: 'bo@example.com' });
  });

  it('answers 404 resource_missing for an unknown Customer (https://docs.stripe.com/error-codes/resource-missing)', async () => {
    const error = await failure(stripe.customers.retrieve('cus_nope'));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_nope'" });
  });

  it('replays a create for the same Idempotency-Key and creates one Customer (https://docs.stripe.com/api/idempotent_requests)', async () => {
    const key = `customer-${newCallId()}`;
    const first = await stripe.customers.create({ email: 'cy@example.com' }, { idempotencyKey: key });
    const second = await stripe.customers.create({ email: 'cy@example.com' }, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(emulator.events().filter((event) => event.type === 'customer.created' && event.data.object.id === first.id)).toHaveLength(1);
  });

  it('rejects unknown parameters like Stripe', async () => {
    const response = await http(emulator.url, 'POST', '/v1/customers', 'email=a@b.c&colour=red');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'parameter_unknown', param: 'colour' });
  });

  it('a PaymentIntent must name an existing Customer: 400 resource_missing on `customer` (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-customer)', async () => {
    const callId = newCallId();
    const error = await failure(stripe.paymentIntents.create(holdParams(callId, { customer: 'cus_missing' })));
    expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer', message: "No such customer: 'cus_missing'" });
    expect(emulator.paymentIntents({ callId })).toEqual([]);

    const customer = await stripe.customers.create({});
    expect(await stripe.paymentIntents.create(holdParams(callId, { customer: customer.id }))).toMatchObject({ customer: customer.id, status: 'requires_capture' });
  });
});
