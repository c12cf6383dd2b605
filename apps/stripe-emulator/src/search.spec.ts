import Stripe from 'stripe';
import { failure, holdParams, http, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

/** https://docs.stripe.com/api/payment_intents/search and https://docs.stripe.com/search */
describe('PaymentIntent search and the customer list filter', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let customer: Stripe.Customer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
    customer = await stripe.customers.create({});
    ids.held = (await stripe.paymentIntents.create(holdParams('search-a', { customer: customer.id }))).id;
    ids.paid = (await stripe.paymentIntents.create(holdParams('search-a', { capture_method: 'automatic' }))).id;
    ids.other = (await stripe.paymentIntents.create(holdParams('search-b'))).id;
    ids.canceled = (await stripe.paymentIntents.cancel((await stripe.paymentIntents.create(holdParams('search-b', { currency: 'eur' }))).id)).id;
  });

  afterAll(() => emulator.close());

  const search = async (query: string, params: Partial<Stripe.PaymentIntentSearchParams> = {}) => stripe.paymentIntents.search({ query, ...params });
  const idsOf = (result: { data: Array<{ id: string }> }) => result.data.map((intent) => intent.id);

  it("finds by metadata['key']:'value', newest first, as a search_result", async () => {
    const result = await search("metadata['call_id']:'search-a'");
    expect(result).toMatchObject({ object: 'search_result', has_more: false, next_page: null, url: '/v1/payment_intents/search' });
    expect(idsOf(result)).toEqual([ids.paid, ids.held]);
  });

  it('finds by status and customer, combined with AND or OR; negation excludes', async () => {
    expect(idsOf(await search("status:'requires_capture'"))).toEqual([ids.other, ids.held]);
    expect(idsOf(await search(`customer:'${customer.id}'`))).toEqual([ids.held]);
    expect(idsOf(await search(`metadata["call_id"]:"search-b" AND status:"canceled"`))).toEqual([ids.canceled]);
    expect(idsOf(await search(`status:'succeeded' OR customer:'${customer.id}'`))).toEqual([ids.paid, ids.held]);
    expect(idsOf(await search(`metadata['call_id']:'search-b' -currency:'eur'`))).toEqual([ids.other]);
  });

  it('pages with limit and next_page', async () => {
    const first = await search("-status:'canceled'", { limit: 2 });
    expect(first.has_more).toBe(true);
    expect(first.next_page).toEqual(expect.any(String));
    const second = await search("-status:'canceled'", { limit: 2, page: first.next_page as string });
    expect([...idsOf(first), ...idsOf(second)]).toEqual([ids.other, ids.paid, ids.held]);
    expect(second).toMatchObject({ has_more: false, next_page: null });
    expect(await stripe.paymentIntents.search({ query: "-status:'canceled'", limit: 1 }).autoPagingToArray({ limit: 10 })).toHaveLength(3);
  });

  it('answers 400 for syntax it does not support, mixing AND with OR, or no query', async () => {
    for (const query of ["status:'a' AND status:'b' OR status:'c'", 'amount>1000', "description~'x'"]) {
      expect(await failure(search(query))).toMatchObject({ statusCode: 400, param: 'query', type: 'StripeInvalidRequestError' });
    }
    expect((await http(emulator.url, 'GET', '/v1/payment_intents/search')).body.error).toMatchObject({ code: 'parameter_missing', param: 'query' });
  });

  it('expands data.latest_charge in search results', async () => {
    const result = await search(`customer:'${customer.id}'`, { expand: ['data.latest_charge'] });
    expect(result.data[0].latest_charge).toMatchObject({ object: 'charge', payment_intent: ids.held });
  });

  it('lists by customer (https://docs.stripe.com/api/payment_intents/list#list_payment_intents-customer)', async () => {
    expect(idsOf(await stripe.paymentIntents.list({ customer: customer.id }))).toEqual([ids.held]);
    expect((await stripe.paymentIntents.list({ customer: 'cus_nobody' })).data).toEqual([]);
  });
});
