import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { API_ROUTES, ApiCall, ApiRoute, ApiServices } from './api-routes';
import { ChargeStore } from './charges.store';
import { Clock } from './clock';
import { handleControl } from './control-routes';
import { CustomerStore } from './customers.store';
import { DisputeStore } from './disputes.store';
import { EventStore } from './events.store';
import { Fault, FaultRegistry } from './faults.registry';
import { FormObject, decodeFormParams } from './form-params.decoder';
import { Reply, errorReply, json } from './http-reply';
import { IdempotencyStore } from './idempotency.store';
import { newId } from './ids';
import { AuthenticationOutcome } from './payment-confirmation';
import { PaymentIntent, PaymentIntentStore } from './payment-intents.store';
import { PaymentMethodStore } from './payment-methods.store';
import { EmulatorRequest, RequestLog } from './request-log';
import { StripeApiError, internalError, notAuthenticated, rateLimited, unrecognizedUrl } from './stripe-api.error';
import { StateJournal } from './state-journal';
import { WebhookEndpointStore, WebhookTarget } from './webhook-endpoints.store';
import { WebhookDispatcher } from './webhooks';

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** where every event is POSTed, signed with `secret` (like `stripe listen`) */
  webhook?: WebhookTarget;
  /** wait before the first webhook retry, doubling for each further one; default 500 */
  webhookRetryBaseMs?: number;
  /** webhook attempts per event and endpoint, the first included; default 8 */
  webhookMaxAttempts?: number;
  /**
   * Where the Stripe objects are kept across restarts (state-journal.ts); without it they live in
   * memory only. Events some endpoint had not acknowledged are sent again at start.
   */
  dataDir?: string;
}

const TEST_SECRET_KEY = /^sk_test_\w+$/;

/**
 * A Stripe-API-compatible HTTP server for the calls our product makes, for standalone mode and
 * tests: point the official SDK at {@link url}. State lives in memory, or under `dataDir` across
 * restarts. Besides the API
 * (PaymentIntents, Customers, PaymentMethods, Charges, Events, webhook endpoints) it sends signed
 * webhooks, keeps its own clock, and offers test control in code and over HTTP under /_emulator/
 * (see control-routes.ts).
 */
export class StripeEmulator {
  private readonly journal: StateJournal;
  private readonly clock: Clock;
  private readonly faults = new FaultRegistry();
  private readonly idempotency: IdempotencyStore;
  private readonly requestLog = new RequestLog();
  private readonly webhookEndpoints: WebhookEndpointStore;
  private readonly webhooks: WebhookDispatcher;
  private readonly services: ApiServices;
  private readonly disputes: DisputeStore;
  /** Releases of stalled requests: true lets one run, false drops it (closing). */
  private readonly stalls = new Set<(proceed: boolean) => void>();
  private closing?: Promise<void>;
  /** How many objects were loaded from `dataDir` at start, and how many events were sent again. */
  readonly restoredEntries: number;
  readonly redeliveredEvents: number;

  private constructor(
    private readonly server: Server,
    /** e.g. http://127.0.0.1:12111 — suitable for STRIPE_API_BASE */
    readonly url: string,
    options: StripeEmulatorOptions,
  ) {
    const journal = (this.journal = new StateJournal(options.dataDir));
    this.clock = new Clock(journal.table('clock'));
    this.idempotency = new IdempotencyStore(this.clock, journal.table('idempotency_keys'));
    this.webhookEndpoints = new WebhookEndpointStore(this.clock, journal.table('webhook_endpoints'));
    this.webhookEndpoints.configure(options.webhook);
    this.webhooks = new WebhookDispatcher({
      now: () => this.clock.now(),
      retryBaseMs: options.webhookRetryBaseMs ?? 500,
      maxAttempts: options.webhookMaxAttempts ?? 8,
      onDelivered: (eventId) => {
        events.delivered(eventId);
        this.journal.flush();
      },
    });
    const events = new EventStore(this.clock, this.webhookEndpoints, this.webhooks, journal.table('events'));
    const customers = new CustomerStore(this.clock, events, journal.table('customers'));
    const paymentMethods = new PaymentMethodStore(this.clock, customers, events, journal.table('payment_methods'));
    const charges = new ChargeStore(this.clock, events, journal.table('charges'));
    const paymentIntents = new PaymentIntentStore({
      clock: this.clock,
      events,
      customers,
      paymentMethods,
      charges,
      baseUrl: url,
      tables: { intents: journal.table('payment_intents'), pendingAuthentications: journal.table('pending_authentications') },
    });
    this.services = { paymentIntents, customers, paymentMethods, charges, events, webhookEndpoints: this.webhookEndpoints };
    this.disputes = new DisputeStore(this.clock, charges, events, journal.table('disputes'));
    this.restoredEntries = journal.load();
    this.idempotency.dropUnfinished();
    this.redeliveredEvents = events.redeliverPending();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  static async start(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    try {
      return new StripeEmulator(server, `http://${reachableHost(host)}:${port}`, options);
    } catch (error) {
      server.close();
      throw error;
    }
  }

  /** Stops listening, webhook deliveries and retries, drops stalled requests and cuts open connections. */
  close(): Promise<void> {
    if (!this.closing) {
      this.webhooks.close();
      for (const release of [...this.stalls]) release(false);
      this.closing = new Promise((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
    }
    return this.closing;
  }

  /** Snapshots as the API returns them, oldest first; optionally only one call's (metadata.call_id). */
  paymentIntents(filter: { callId?: string } = {}): PaymentIntent[] {
    return this.services.paymentIntents.snapshot(filter.callId);
  }

  /** Throws a TypeError naming the problem when the fault is malformed. */
  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The customer completes ('succeed') or fails 3-D Secure for a PaymentIntent in requires_action. */
  authenticate(id: string, outcome: AuthenticationOutcome): PaymentIntent {
    this.expireHolds();
    return this.persisted(() => this.services.paymentIntents.authenticate(id, outcome).intent);
  }

  /** Moves the emulator's clock forward (holds past their window expire); answers the new now. */
  advanceClock(seconds: number): number {
    return this.persisted(() => {
      const now = this.clock.advance(seconds);
      this.expireHolds();
      return now;
    });
  }

  /** The emulator's now, unix seconds. */
  now(): number {
    return this.clock.now();
  }

  /** Where every event is POSTed from now on; undefined stops that. Throws a TypeError for a malformed target. */
  setWebhook(target: WebhookTarget | undefined): void {
    this.webhookEndpoints.configure(target);
  }

  /** Every event emitted, oldest first. */
  events(): Stripe.Event[] {
    return this.services.events.all();
  }

  /** Resolves once no webhook delivery is under way or waiting for a retry. */
  webhooksDelivered(): Promise<void> {
    return this.webhooks.idle();
  }

  /** The cardholder disputes a succeeded PaymentIntent's charge: a Dispute and `charge.dispute.created`. */
  dispute(paymentIntentId: string): Stripe.Dispute {
    this.expireHolds();
    return this.persisted(() => this.disputes.open(this.services.paymentIntents.disputableCharge(paymentIntentId)));
  }

  /** Every API request received, oldest first. */
  requests(): EmulatorRequest[] {
    return this.requestLog.all();
  }

  clearRequests(): void {
    this.requestLog.clear();
  }

  private expireHolds(): void {
    this.persisted(() => this.services.paymentIntents.expireHolds());
  }

  /** Runs a change and writes it to `dataDir` (a no-op in memory), also when it throws after changing something. */
  private persisted<T>(change: () => T): T {
    try {
      return change();
    } finally {
      this.journal.flush();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId('req', 14);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://stripe-emulator');
    const body = await readBody(req);
    this.expireHolds();
    let reply: Reply | undefined;
    if (url.pathname.startsWith('/_emulator/')) {
      reply = await handleControl(
        {
          paymentIntents: this.services.paymentIntents,
          disputes: this.disputes,
          faults: this.faults,
          requestLog: this.requestLog,
          advanceClock: (seconds) => this.advanceClock(seconds as number),
          webhooksDelivered: () => this.webhooksDelivered(),
        },
        method,
        url,
        body,
      );
    } else {
      const params = decodeFormParams(method === 'GET' ? url.searchParams : new URLSearchParams(body));
      const idempotencyKey = method === 'POST' ? singleHeader(req.headers['idempotency-key']) : undefined;
      reply = await this.api(req, { method, path: url.pathname, params, idempotencyKey, requestId });
      this.requestLog.record({
        method,
        path: url.pathname,
        params,
        status: reply?.status ?? 0,
        response: reply ? JSON.parse(reply.body) : null,
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(req.headers['stripe-version'] !== undefined ? { stripeVersion: singleHeader(req.headers['stripe-version']) } : {}),
      });
    }
    // On disk before the answer leaves, as Stripe's objects are durable once it answers.
    this.journal.flush();
    if (!reply) {
      res.destroy();
      return;
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': requestId, ...reply.headers });
    res.end(reply.body);
  }

  /**
   * A Stripe API call: authenticate, route, idempotency, faults, execute. Undefined: no answer
   * (a 'disconnect' fault, or a stalled request dropped by close()).
   */
  private async api(req: IncomingMessage, request: { method: string; path: string; params: FormObject; idempotencyKey?: string; requestId: string }): Promise<Reply | undefined> {
    const { method, path, params, idempotencyKey: key, requestId } = request;
    try {
      const apiKey = apiKeyOf(req.headers.authorization);
      const route = API_ROUTES.find((candidate) => candidate.method === method && candidate.path.test(path));
      if (!route) throw unrecognizedUrl(method, path);
      const call: ApiCall = { params, id: route.path.exec(path)?.[1] ?? '', decline: false };
      const keyHeaders: Record<string, string> = key === undefined ? {} : { 'Idempotency-Key': key };
      const claim = key === undefined ? undefined : this.idempotency.claim(apiKey, key, { method, path, params });
      if (claim?.kind === 'replay') {
        const { status, body, requestId: original } = claim.response;
        return { status, body, headers: { ...keyHeaders, 'Idempotent-Replayed': 'true', 'Original-Request': original } };
      }

      const fault = this.faults.take({ method, path, callId: route.callId?.(this.services, call) });
      if (fault?.kind === 'rate_limit') {
        claim?.release();
        const retry: Record<string, string> = fault.shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(fault.shouldRetry) };
        return { ...errorReply(rateLimited()), headers: { ...keyHeaders, ...retry } };
      }
      if (fault?.kind === 'stall' && !(await this.stall(fault.stallMs))) {
        claim?.release();
        return undefined;
      }
      const outcome =
        fault?.kind === 'error' ? { reply: errorReply(internalError()), executed: true } : this.execute(route, { ...call, decline: fault?.kind === 'decline' }, requestId, key);
      const { executed } = outcome;
      const reply = executed && fault?.kind === 'error_after' ? errorReply(internalError()) : outcome.reply;
      if (executed) claim?.complete({ status: reply.status, body: reply.body, requestId });
      else claim?.release();
      return fault?.kind === 'disconnect' ? undefined : { ...reply, headers: keyHeaders };
    } catch (error) {
      return errorReply(error);
    }
  }

  /** Runs a route; `executed` tells whether the endpoint started, so its answer is kept for the key. */
  private execute(route: ApiRoute, call: ApiCall, requestId: string, key: string | undefined): { reply: Reply; executed: boolean } {
    try {
      const result = this.services.events.during({ id: requestId, idempotency_key: key ?? null }, () => route.run(this.services, call));
      return { reply: json(200, result), executed: true };
    } catch (error) {
      return { reply: errorReply(error), executed: error instanceof StripeApiError && error.executed };
    }
  }

  /** Resolves true after `ms` (the request then runs), or false when the emulator closes first. */
  private stall(ms: number | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const release = (proceed: boolean) => {
        clearTimeout(timer);
        this.stalls.delete(release);
        resolve(proceed);
      };
      const timer = ms === undefined ? undefined : setTimeout(() => release(true), ms);
      this.stalls.add(release);
    });
  }
}

/** The secret key of a Bearer (SDK) or Basic (`curl -u sk_test_…:`) Authorization header. */
function apiKeyOf(authorization: string | undefined): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const key = bearer ?? (basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8').split(':')[0]);
  if (!key) {
    throw notAuthenticated(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!TEST_SECRET_KEY.test(key)) {
    throw notAuthenticated(`Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`);
  }
  return key;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An address clients can dial: a wildcard listen address becomes loopback. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
