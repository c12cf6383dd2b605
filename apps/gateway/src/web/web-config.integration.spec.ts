import { ConfigError } from '@vidivo/platform';
import { ComposedPlatform, HttpClient, InProcessApp, contentSecurityPolicy, startComposedPlatform } from '@vidivo/testing';
import { gatewayApp } from '../gateway.app';

const PUBLISHABLE_KEY = 'pk_test_51WebConfigSpec0123456789';
/** Signaling on a host of its own, as in production: the pages must be allowed to connect there. */
const SIGNALING_PUBLIC_URL = 'wss://signal.vidivo.test/signal/ws';

/** What Stripe.js changes in the policy; the rest of it (integration/src/gateway/web-security-headers) stays as it is. */
const STRIPE_DIRECTIVES = ['script-src', 'frame-src', 'connect-src'];

/** The policy's directives other than Stripe's. */
const withoutStripe = (directives: Map<string, string[]>) => Object.fromEntries([...directives].filter(([name]) => !STRIPE_DIRECTIVES.includes(name)));

/**
 * The web client's settings (decision 30): `GET /v1/web/config` tells the join page whether real
 * Stripe is configured (STRIPE_PUBLISHABLE_KEY), and then the pages' Content Security Policy lets
 * Stripe.js and its Payment Element in, and nothing else.
 */
describe('gateway: GET /v1/web/config and the pages’ Content Security Policy', () => {
  /** The gateway without STRIPE_PUBLISHABLE_KEY (with the emulator). */
  let emulated: ComposedPlatform<undefined>;
  /** The same gateway, on the same database, with the key. */
  let realStripe: InProcessApp;

  beforeAll(async () => {
    emulated = await startComposedPlatform({ name: 'gateway_web_config', apps: [gatewayApp], env: { SIGNALING_PUBLIC_URL } });
    realStripe = await emulated.startAnother({ STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY });
  });

  afterAll(async () => {
    await emulated?.close();
  });

  it('answers a null key without STRIPE_PUBLISHABLE_KEY, and where hosts listen for calls, without a token', async () => {
    const response = await emulated.api.get('/v1/web/config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ stripe_publishable_key: null, signaling_notify_url: 'wss://signal.vidivo.test/signal/notify' });
  });

  it('answers the publishable key when it is set', async () => {
    const response = await new HttpClient(realStripe.baseUrl).get('/v1/web/config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ stripe_publishable_key: PUBLISHABLE_KEY, signaling_notify_url: 'wss://signal.vidivo.test/signal/notify' });
  });

  it('stops the app at start when the key is not a publishable one, naming the variable', async () => {
    const secret = 'sk_test_notpublishable123';
    const start = emulated.startAnother({ STRIPE_PUBLISHABLE_KEY: secret });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/STRIPE_PUBLISHABLE_KEY must start with pk_/);
    await expect(start).rejects.not.toThrow(secret);
  });

  // A page route: index.html when the web bundle is built, a 404 otherwise; helmet's header is on both.
  it('lets Stripe.js, its frames and its API into the pages when the key is set, keeping every other default', async () => {
    const page = await fetch(`${realStripe.baseUrl}/c/abc123`, { headers: { accept: 'text/html' } });
    const directives = contentSecurityPolicy(page.headers.get('content-security-policy'));
    const emulatedPage = await fetch(`${emulated.baseUrl}/c/abc123`, { headers: { accept: 'text/html' } });
    expect(withoutStripe(directives)).toEqual(withoutStripe(contentSecurityPolicy(emulatedPage.headers.get('content-security-policy'))));
    expect(directives.get('script-src')).toEqual(["'self'", 'https://js.stripe.com', 'https://*.js.stripe.com']);
    expect(directives.get('frame-src')).toEqual(["'self'", 'https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'wss://signal.vidivo.test', 'https://api.stripe.com']);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('loads nothing from Stripe into the pages with the emulator, and lets them connect to signaling', async () => {
    const page = await fetch(`${emulated.baseUrl}/c/abc123`, { headers: { accept: 'text/html' } });
    const header = page.headers.get('content-security-policy');
    const directives = contentSecurityPolicy(header);
    expect(directives.get('script-src') ?? directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.has('frame-src')).toBe(false);
    expect(directives.get('connect-src')).toEqual(["'self'", 'wss://signal.vidivo.test']);
    expect(header).not.toContain('stripe.com');
  });

  it('is documented in the OpenAPI document as a public endpoint with its schema', async () => {
    const document = (await emulated.api.get('/openapi.json')).body;
    const operation = document.paths['/v1/web/config']?.get;
    expect(operation?.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebConfig' });
    expect(operation.security ?? []).toEqual([]);
    expect(document.components.schemas.WebConfig).toMatchObject({
      required: ['stripe_publishable_key', 'signaling_notify_url'],
      properties: { stripe_publishable_key: { type: 'string', nullable: true }, signaling_notify_url: { type: 'string', format: 'uri' } },
    });
  });
});
