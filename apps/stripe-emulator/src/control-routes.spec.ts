import { HttpEmulatorControl, sleep, until } from '@vidivo/testing';
import { Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { failure, holdParams, http, newCallId, sdk } from './spec-helpers';
import { StripeEmulator } from './stripe-emulator';

const SECRET = 'whsec_test_control_routes';

/** A webhook endpoint that keeps every delivery waiting until the test lets them through. */
class HeldWebhookEndpoint {
  private readonly waiting: ServerResponse[] = [];
  received = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<HeldWebhookEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = new HeldWebhookEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`);
    server.on('request', (req, res) => {
      req.resume();
      endpoint.received += 1;
      endpoint.waiting.push(res);
    });
    return endpoint;
  }

  /** Answers 200 to every delivery waiting, and to those still to come. */
  async releaseUntilIdle(emulator: StripeEmulator): Promise<void> {
    let idle = false;
    void emulator.webhooksDelivered().then(() => (idle = true));
    while (!idle) {
      for (const res of this.waiting.splice(0)) res.writeHead(200).end();
      await sleep(10);
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The control API under /_emulator/ that a test uses when the emulator runs as its own process. */
describe('the HTTP control API for tests in other processes', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await StripeEmulator.start();
    stripe = sdk(emulator.url);
  });

  afterAll(() => emulator.close());

  it('GET /_emulator/requests answers the request log as requests() has it; DELETE /_emulator/requests empties it and answers { cleared }', async () => {
    emulator.clearRequests();
    await stripe.paymentIntents.create(holdParams(newCallId()), { idempotencyKey: 'control-log-1' });
    await failure(stripe.paymentIntents.retrieve('pi_missing'));

    const listed = await http(emulator.url, 'GET', '/_emulator/requests');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(emulator.requests());
    expect((listed.body as unknown as Array<{ path: string; status: number }>).map(({ path, status }) => [path, status])).toEqual([
      ['/v1/payment_intents', 200],
      ['/v1/payment_intents/pi_missing', 404],
    ]);

    const cleared = await http(emulator.url, 'DELETE', '/_emulator/requests');
    expect({ status: cleared.status, body: cleared.body }).toEqual({ status: 200, body: { cleared: 2 } });
    expect(emulator.requests()).toEqual([]);
    // The control requests themselves are not in the log.
    expect((await http(emulator.url, 'GET', '/_emulator/requests')).body).toEqual([]);
  });

  it('GET /_emulator/webhooks/delivered answers once every delivery is done, and at once when none is under way', async () => {
    expect((await http(emulator.url, 'GET', '/_emulator/webhooks/delivered')).body).toEqual({ delivered: true });

    const endpoint = await HeldWebhookEndpoint.start();
    const withWebhooks = await StripeEmulator.start({ webhook: { url: endpoint.url, secret: SECRET } });
    try {
      await sdk(withWebhooks.url).customers.create({});
      let answered = false;
      const waited = http(withWebhooks.url, 'GET', '/_emulator/webhooks/delivered').then((answer) => ((answered = true), answer));
      // A delivery reaches the endpoint and is kept waiting: no answer yet.
      await until(() => endpoint.received > 0, 5_000, 'a delivery to reach the endpoint');
      await sleep(100);
      expect(endpoint.received).toBeGreaterThan(0);
      expect(answered).toBe(false);

      await endpoint.releaseUntilIdle(withWebhooks);
      const answer = await waited;
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { delivered: true } });
    } finally {
      await withWebhooks.close();
      await endpoint.close();
    }
  });

  it('an unknown control path is a 404 naming it', async () => {
    const answer = await http(emulator.url, 'PUT', '/_emulator/requests');
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toBe('No emulator control at PUT /_emulator/requests');
  });

  describe('HttpEmulatorControl (libs/testing) steers the emulator over HTTP as its own methods do', () => {
    let control: HttpEmulatorControl;

    beforeAll(() => {
      control = new HttpEmulatorControl(emulator.url);
    });

    it('reads PaymentIntents, one call’s or all, and the request log, and clears it', async () => {
      const callId = newCallId();
      const intent = await stripe.paymentIntents.create(holdParams(callId));
      expect(await control.paymentIntents({ callId })).toEqual(emulator.paymentIntents({ callId }));
      expect((await control.paymentIntents()).map((candidate) => candidate.id)).toContain(intent.id);
      expect(await control.requests()).toEqual(emulator.requests());
      await control.clearRequests();
      expect(emulator.requests()).toEqual([]);
    });

    it('injects faults (times: Infinity included) and clears them', async () => {
      const callId = newCallId();
      await control.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'rate_limit', callId, times: Infinity });
      for (let i = 0; i < 3; i++) expect((await failure(stripe.paymentIntents.create(holdParams(callId)))).statusCode).toBe(429);
      await control.clearFaults();
      expect((await stripe.paymentIntents.create(holdParams(callId))).status).toBe('requires_capture');
    });

    it('authenticates, disputes and moves the clock', async () => {
      const pending = await stripe.paymentIntents.create(holdParams(newCallId(), { payment_method: 'pm_card_threeDSecure2Required', return_url: 'https://app.example.com/back' }));
      expect(await control.authenticate(pending.id, 'succeed')).toMatchObject({ id: pending.id, status: 'requires_capture' });

      const paid = await stripe.paymentIntents.create(holdParams(newCallId(), { capture_method: 'automatic' }));
      expect(await control.dispute(paid.id)).toMatchObject({ object: 'dispute', payment_intent: paid.id });

      const before = emulator.now();
      expect(await control.advanceClock(3600)).toBe(before + 3600);
    });

    it('waits for webhook deliveries, and throws with the emulator’s answer when it refuses', async () => {
      await expect(control.webhooksDelivered()).resolves.toBeUndefined();
      await expect(control.authenticate('pi_missing', 'succeed')).rejects.toThrow(/answered 404/);
      await expect(control.injectFault({ method: 'POST', path: 'nowhere', kind: 'error' })).rejects.toThrow(/answered 400: .*fault\.path/);
    });
  });
});
