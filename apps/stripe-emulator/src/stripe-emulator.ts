import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Fault, FaultRegistry } from './faults.registry';
import { FormObject, decodeFormParams } from './form-params.decoder';
import { IdempotencyStore } from './idempotency.store';
import { PaymentIntent, PaymentIntentStore, newId } from './payment-intents.store';
import { StripeApiError, internalError, notAuthenticated, unrecognizedUrl } from './stripe-api.error';

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  run(store: PaymentIntentStore, params: FormObject, id: string, decline: boolean): unknown;
}

/** The PaymentIntent calls the product makes (decision 23); anything else is Stripe's 404. */
const ROUTES: Route[] = [
  { method: 'POST', path: /^\/v1\/payment_intents$/, run: (store, params, _id, decline) => store.create(params, { decline }) },
  { method: 'GET', path: /^\/v1\/payment_intents$/, run: (store, params) => store.list(params) },
  { method: 'GET', path: /^\/v1\/payment_intents\/([^/]+)$/, run: (store, params, id) => store.retrieve(id, params) },
  { method: 'POST', path: /^\/v1\/payment_intents\/([^/]+)\/capture$/, run: (store, params, id) => store.capture(id, params) },
  { method: 'POST', path: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, run: (store, params, id) => store.cancel(id, params) },
];

const TEST_SECRET_KEY = /^sk_test_\w+$/;

/**
 * A Stripe-API-compatible HTTP server for the PaymentIntent calls our product makes, for
 * standalone mode and tests: point the official SDK at {@link url}. State lives in memory.
 * Test control: {@link paymentIntents}, {@link injectFault}, {@link clearFaults}, also over HTTP as
 * `GET /_emulator/payment_intents?call_id=`, `POST /_emulator/faults` and `DELETE /_emulator/faults`.
 */
export class StripeEmulator {
  private readonly store = new PaymentIntentStore();
  private readonly idempotency = new IdempotencyStore();
  private readonly faults = new FaultRegistry();
  /** Releases of stalled requests: true lets one run, false drops it (closing). */
  private readonly stalls = new Set<(proceed: boolean) => void>();
  private closing?: Promise<void>;

  private constructor(
    private readonly server: Server,
    /** e.g. http://127.0.0.1:12111 — suitable for STRIPE_API_BASE */
    readonly url: string,
  ) {
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
    return new StripeEmulator(server, `http://${reachableHost(host)}:${port}`);
  }

  /** Stops listening, drops stalled requests and cuts open connections. */
  close(): Promise<void> {
    if (!this.closing) {
      for (const release of [...this.stalls]) release(false);
      this.closing = new Promise((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
    }
    return this.closing;
  }

  /** Snapshots as the API returns them, oldest first; optionally only one call's (metadata.call_id). */
  paymentIntents(filter: { callId?: string } = {}): PaymentIntent[] {
    return this.store.snapshot(filter.callId);
  }

  /** Throws a TypeError naming the problem when the fault is malformed. */
  injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId('req', 14);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://stripe-emulator');
    const body = await readBody(req);
    let reply: Reply | undefined;
    try {
      reply = url.pathname.startsWith('/_emulator/')
        ? this.control(method, url, body)
        : await this.api(req, method, url, body, requestId);
    } catch (error) {
      reply = errorReply(error);
    }
    if (!reply) {
      res.destroy();
      return;
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': requestId, ...reply.headers });
    res.end(reply.body);
  }

  /** A Stripe API call: authenticate, route, faults, idempotency, execute. Undefined: dropped by close(). */
  private async api(req: IncomingMessage, method: string, url: URL, body: string, requestId: string): Promise<Reply | undefined> {
    const apiKey = apiKeyOf(req.headers.authorization);
    const path = url.pathname;
    const route = ROUTES.find((candidate) => candidate.method === method && candidate.path.test(path));
    if (!route) throw unrecognizedUrl(method, path);
    const id = route.path.exec(path)?.[1] ?? '';
    const params = decodeFormParams(method === 'GET' ? url.searchParams : new URLSearchParams(body));

    const callId = id ? this.store.callIdOf(id) : callIdOfParams(params);
    const fault = this.faults.take({ method, path, callId });
    if (fault?.kind === 'error') throw internalError();

    const key = method === 'POST' ? singleHeader(req.headers['idempotency-key']) : undefined;
    const keyHeaders: Record<string, string> = key === undefined ? {} : { 'Idempotency-Key': key };
    const claim = key === undefined ? undefined : this.idempotency.claim(apiKey, key, { method, path, params });
    if (claim?.kind === 'replay') {
      const { status, body: replayed, requestId: original } = claim.response;
      return { status, body: replayed, headers: { ...keyHeaders, 'Idempotent-Replayed': 'true', 'Original-Request': original } };
    }
    if (fault?.kind === 'stall' && !(await this.stall(fault.stallMs))) {
      claim?.release();
      return undefined;
    }

    let reply: Reply;
    let executed = true;
    try {
      reply = { status: 200, body: JSON.stringify(route.run(this.store, params, id, fault?.kind === 'decline')) };
    } catch (error) {
      reply = errorReply(error);
      executed = error instanceof StripeApiError && error.executed;
    }
    if (executed) claim?.complete({ status: reply.status, body: reply.body, requestId });
    else claim?.release();
    return { ...reply, headers: keyHeaders };
  }

  private control(method: string, url: URL, body: string): Reply {
    const path = url.pathname;
    if (method === 'GET' && path === '/_emulator/payment_intents') {
      return json(200, this.paymentIntents({ callId: url.searchParams.get('call_id') || undefined }));
    }
    if (method === 'POST' && path === '/_emulator/faults') {
      try {
        return json(201, this.faults.add(JSON.parse(body)));
      } catch (error) {
        return json(400, { error: { type: 'invalid_request_error', message: `Invalid fault: ${(error as Error).message}` } });
      }
    }
    if (method === 'DELETE' && path === '/_emulator/faults') return json(200, { cleared: this.faults.clear() });
    return json(404, { error: { type: 'invalid_request_error', message: `No emulator control at ${method} ${path}` } });
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

function callIdOfParams(params: FormObject): string | undefined {
  const metadata = params.metadata;
  return typeof metadata === 'object' && typeof metadata.call_id === 'string' ? metadata.call_id : undefined;
}

function errorReply(error: unknown): Reply {
  const stripeError =
    error instanceof StripeApiError
      ? error
      : new StripeApiError(500, { type: 'api_error', message: `The emulator failed: ${(error as Error).message}` }, false);
  return json(stripeError.status, { error: stripeError.error });
}

function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value) };
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
