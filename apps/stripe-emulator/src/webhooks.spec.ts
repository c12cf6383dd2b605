import { sleep } from '@vidivo/testing';
import { IncomingMessage, Server, createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { failure, holdParams, http, newCallId, sdk, subjectId } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

const SECRET = 'whsec_test_emulator_secret';

interface Received {
  body: string;
  signature: string;
}

/** A webhook endpoint as an application runs it: answers `failFirst` attempts with 500, then 200. */
class WebhookReceiver {
  readonly received: Received[] = [];
  failFirst = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`);
    const answer = async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      receiver.received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
      const fail = receiver.failFirst > 0;
      if (fail) receiver.failFirst -= 1;
      res.writeHead(fail ? 500 : 200).end();
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void answer(req, res));
    return receiver;
  }

  /** Events as `stripe.webhooks.constructEvent` verifies them, each once, in arrival order of their first attempt. */
  verifiedEvents(stripe: Stripe): Stripe.Event[] {
    const seen = new Map<string, Stripe.Event>();
    for (const { body, signature } of this.received) {
      const event = stripe.webhooks.constructEvent(body, signature, SECRET);
      if (!seen.has(event.id)) seen.set(event.id, event);
    }
    return [...seen.values()];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Webhooks (https://docs.stripe.com/webhooks) signed as https://docs.stripe.com/webhooks/signature documents. */
describe('events and webhooks', () => {
  let receiver: WebhookReceiver;
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    emulator = await StripeEmulator.start({ webhook: { url: receiver.url, secret: SECRET }, webhookRetryBaseMs: 2 });
    stripe = sdk(emulator.url);
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  it('builds events as Stripe does: evt_ id, api_version, created, a snapshot in data.object, request id and idempotency key', async () => {
    const intent = await stripe.paymentIntents.create(holdParams(newCallId()), { idempotencyKey: 'events-shape' });
    const created = emulator.events().find((event) => event.type === 'payment_intent.created');
    expect(created).toMatchObject({
      object: 'event',
      api_version: Stripe.API_VERSION,
      livemode: false,
      pending_webhooks: 1,
      request: { id: intent.lastResponse.requestId, idempotency_key: 'events-shape' },
      data: { object: { id: intent.id, status: 'requires_confirmation' } },
    });
    expect(created?.id).toMatch(/^evt_\w{24}$/);
    expect(created?.created).toBeGreaterThanOrEqual(intent.created);
    expect(emulator.events().map((event) => event.type)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated']);
  });

  it('delivers signed events that stripe.webhooks.constructEvent accepts, retrying failures with backoff, first attempts in order', async () => {
    receiver.failFirst = 3;
    const intent = await stripe.paymentIntents.create(holdParams(newCallId()));
    await stripe.paymentIntents.capture(intent.id);
    await emulator.webhooksDelivered();

    const delivered = receiver.verifiedEvents(stripe);
    expect(delivered.map((event) => event.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.succeeded',
    ]);
    expect(receiver.received.length).toBe(delivered.length + 3);
    expect(delivered.map((event) => event.id)).toEqual(emulator.events().map((event) => event.id));
    expect(delivered[4].data.object).toMatchObject({ id: intent.id, status: 'succeeded' });
    expect(emulator.events().every((event) => event.pending_webhooks === 0)).toBe(true);
    expect(receiver.received[0].signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('a wrong secret fails signature verification', async () => {
    await stripe.customers.create({});
    await emulator.webhooksDelivered();
    const [{ body, signature }] = receiver.received;
    expect(() => stripe.webhooks.constructEvent(body, signature, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('gives up after the bounded number of attempts', async () => {
    await emulator.close();
    emulator = await StripeEmulator.start({ webhook: { url: receiver.url, secret: SECRET }, webhookRetryBaseMs: 1, webhookMaxAttempts: 3 });
    receiver.failFirst = 100;
    await sdk(emulator.url).customers.create({});
    await emulator.webhooksDelivered();
    expect(receiver.received).toHaveLength(3);
    expect(emulator.events()[0].pending_webhooks).toBe(1);
  });

  it('retries when the endpoint is unreachable, and setWebhook(undefined) stops sending', async () => {
    emulator.setWebhook({ url: 'http://127.0.0.1:1/unreachable', secret: SECRET });
    await stripe.customers.create({});
    await emulator.webhooksDelivered();
    emulator.setWebhook(undefined);
    await stripe.customers.create({});
    await emulator.webhooksDelivered();
    expect(receiver.received).toEqual([]);
    expect(() => emulator.setWebhook({ url: 'not a url', secret: SECRET })).toThrow(TypeError);
  });

  it('POST /v1/webhook_endpoints answers the endpoint with its whsec_ secret and sends it its enabled_events (https://docs.stripe.com/api/webhook_endpoints/create)', async () => {
    emulator.setWebhook(undefined);
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['charge.dispute.created', 'payment_intent.canceled'] });
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', url: receiver.url, status: 'enabled', enabled_events: ['charge.dispute.created', 'payment_intent.canceled'] });
    expect(endpoint.secret).toMatch(/^whsec_\w+$/);

    const intent = await stripe.paymentIntents.create(holdParams(newCallId(), { capture_method: 'automatic' }));
    const dispute = emulator.dispute(intent.id);
    const held = await stripe.paymentIntents.create(holdParams(newCallId()));
    await stripe.paymentIntents.cancel(held.id);
    await emulator.webhooksDelivered();

    const delivered = receiver.received.map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, endpoint.secret as string));
    expect(delivered.map((event) => event.type)).toEqual(['charge.dispute.created', 'payment_intent.canceled']);
    expect(delivered[0].data.object).toMatchObject({ id: dispute.id, object: 'dispute', charge: intent.latest_charge, payment_intent: intent.id, status: 'needs_response' });
    expect(await failure(stripe.webhookEndpoints.create({ url: 'ftp://x', enabled_events: ['*'] }))).toMatchObject({ statusCode: 400, param: 'url' });
  });

  it('GET /v1/events lists newest first and GET /v1/events/:id retrieves one (https://docs.stripe.com/api/events)', async () => {
    const intent = await stripe.paymentIntents.create(holdParams(newCallId()));
    const listed = await stripe.events.list({ limit: 2 });
    expect(listed.data.map((event) => event.type)).toEqual(['payment_intent.amount_capturable_updated', 'charge.succeeded']);
    expect(listed.has_more).toBe(true);
    expect((await stripe.events.list({ type: 'payment_intent.created' })).data.map(subjectId)).toEqual([intent.id]);
    const [first] = emulator.events();
    expect(await stripe.events.retrieve(first.id)).toMatchObject({ id: first.id, type: 'payment_intent.created' });
    expect(await failure(stripe.events.retrieve('evt_nope'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('POST /_emulator/payment_intents/:id/dispute opens a dispute on a captured payment; an uncaptured hold cannot be disputed', async () => {
    const paid = await stripe.paymentIntents.create(holdParams(newCallId(), { capture_method: 'automatic' }));
    const answer = await http(emulator.url, 'POST', `/_emulator/payment_intents/${paid.id}/dispute`);
    expect(answer).toMatchObject({ status: 200, body: { object: 'dispute', payment_intent: paid.id, amount: 2500, reason: 'fraudulent' } });
    expect((await stripe.charges.retrieve(paid.latest_charge as string)).disputed).toBe(true);
    expect(emulator.events().at(-1)).toMatchObject({ type: 'charge.dispute.created', request: { id: null, idempotency_key: null } });

    const held = await stripe.paymentIntents.create(holdParams(newCallId()));
    expect((await http(emulator.url, 'POST', `/_emulator/payment_intents/${held.id}/dispute`)).status).toBe(400);
  });

  it('close() stops retries: webhooksDelivered resolves and nothing is sent afterwards', async () => {
    receiver.failFirst = 100;
    await stripe.customers.create({});
    await emulator.close();
    await emulator.webhooksDelivered();
    const attempts = receiver.received.length;
    await sleep(50);
    expect(receiver.received.length).toBe(attempts);
  });
});
