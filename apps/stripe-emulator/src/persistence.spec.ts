import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { holdParams, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

/** The emulator keeps its Stripe objects under dataDir across restarts, as Stripe keeps them (decision 34). */
describe('state kept under dataDir across restarts', () => {
  let dataDir: string;
  let emulator: StripeEmulator | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'stripe-emulator-state-'));
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const restart = async (options: { dataDir?: string } = { dataDir }) => {
    await emulator?.close();
    emulator = await StripeEmulator.start(options);
    return sdk(emulator.url);
  };

  it('finds PaymentIntents, their charges, customers, payment methods, and events made before the restart', async () => {
    let stripe = await restart();
    const customer = await stripe.customers.create({ email: 'grace@example.com', metadata: { call_id: 'call_1' } });
    const captured = await stripe.paymentIntents.create(holdParams(newCallId(), { customer: customer.id, setup_future_usage: 'off_session' }));
    await stripe.paymentIntents.capture(captured.id, { amount_to_capture: 1200 });
    const held = await stripe.paymentIntents.create(holdParams(newCallId()));
    const canceled = await stripe.paymentIntents.create(holdParams(newCallId()));
    await stripe.paymentIntents.cancel(canceled.id);
    const eventsBefore = await stripe.events.list({ limit: 100 });
    const before = emulator!.paymentIntents();

    stripe = await restart();
    expect(emulator!.restoredEntries).toBeGreaterThan(0);
    expect(emulator!.paymentIntents()).toEqual(before);
    expect(await stripe.paymentIntents.retrieve(captured.id)).toMatchObject({ status: 'succeeded', amount_received: 1200, customer: customer.id });
    expect(await stripe.paymentIntents.retrieve(held.id)).toMatchObject({ status: 'requires_capture', amount_capturable: 2500 });
    expect(await stripe.paymentIntents.retrieve(canceled.id)).toMatchObject({ status: 'canceled' });
    const charge = await stripe.charges.retrieve(held.latest_charge as string);
    expect(charge).toMatchObject({ captured: false, amount: 2500 });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ email: 'grace@example.com' });
    // The saved card is still attached to the customer: it pays again off session.
    const again = await stripe.paymentIntents.create(holdParams(newCallId(), { customer: customer.id, payment_method: captured.payment_method as string, off_session: true }));
    expect(again.status).toBe('requires_capture');
    expect((await stripe.events.list({ limit: 100 })).data.slice(-eventsBefore.data.length).map((event) => event.id)).toEqual(eventsBefore.data.map((event) => event.id));
    const search = await stripe.paymentIntents.search({ query: `metadata['call_id']:'${held.metadata.call_id}'` });
    expect(search.data.map((intent) => intent.id)).toEqual([held.id]);
    // The hold captured after the restart, and then once more after another one: the state moves on.
    await stripe.paymentIntents.capture(held.id);
    stripe = await restart();
    expect(await stripe.paymentIntents.retrieve(held.id)).toMatchObject({ status: 'succeeded', amount_received: 2500 });
  });

  it('replays an answer for an idempotency key used before the restart', async () => {
    let stripe = await restart();
    const key = `hold-${newCallId()}`;
    const params = holdParams(newCallId());
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: key });

    stripe = await restart();
    const replayed = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(replayed.id).toBe(first.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(emulator!.paymentIntents()).toHaveLength(1);
  });

  it("keeps the clock's offset: holds expire on the moved clock", async () => {
    let stripe = await restart();
    const held = await stripe.paymentIntents.create(holdParams(newCallId()));
    const moved = emulator!.advanceClock(3 * 86_400);

    stripe = await restart();
    expect(emulator!.now()).toBeGreaterThanOrEqual(moved);
    emulator!.advanceClock(5 * 86_400);
    expect(await stripe.paymentIntents.retrieve(held.id)).toMatchObject({ status: 'canceled', cancellation_reason: 'automatic' });
  });

  it('writes a snapshot by atomic rename and ignores a journal line torn by a crash', async () => {
    const stripe = await restart();
    const intent = await stripe.paymentIntents.create(holdParams(newCallId()));
    await emulator!.close();
    emulator = undefined;
    // Killed while appending: half a line at the end.
    appendFileSync(join(dataDir, 'journal.ndjson'), '{"t":"payment_intents","k":"pi_torn","v":{"id":"pi_to');

    await restart();
    expect(emulator!.paymentIntents().map((found) => found.id)).toEqual([intent.id]);
    // Loading folded everything into state.json and started an empty journal.
    expect(readFileSync(join(dataDir, 'journal.ndjson'), 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).tables.payment_intents).toHaveLength(1);
  });

  it('sends again, after a restart, an event its webhook endpoint had not acknowledged', async () => {
    const received: string[] = [];
    const { createServer } = await import('node:http');
    let acknowledge = false;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push((JSON.parse(body) as Stripe.Event).type);
        res.writeHead(acknowledge ? 200 : 500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
    try {
      await emulator?.close();
      emulator = await StripeEmulator.start({ dataDir, webhook: { url, secret: 'whsec_test' }, webhookMaxAttempts: 1 });
      await sdk(emulator.url).customers.create({ email: 'a@example.com' });
      await emulator.webhooksDelivered();
      expect(received).toEqual(['customer.created']);

      acknowledge = true;
      await emulator.close();
      emulator = await StripeEmulator.start({ dataDir, webhook: { url, secret: 'whsec_test' } });
      expect(emulator.redeliveredEvents).toBe(1);
      await emulator.webhooksDelivered();
      expect(received).toEqual(['customer.created', 'customer.created']);
      expect(emulator.events()[0].pending_webhooks).toBe(0);
    } finally {
      server.close();
    }
  });

  it('keeps nothing without dataDir', async () => {
    let stripe = await restart({});
    await stripe.paymentIntents.create(holdParams(newCallId()));
    stripe = await restart({});
    expect(emulator!.paymentIntents()).toEqual([]);
    expect(stripe).toBeDefined();
  });
});
