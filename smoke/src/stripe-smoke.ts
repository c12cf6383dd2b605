import { parseCents } from '@vidivo/money';
import { ConfigError, defineSettings, parseSettings, setting } from '@vidivo/platform';
import { HttpClient, HttpResponse, NodeProcess, eventually, freePort, spawnNode, testEnvironment, waitForHttp } from '@vidivo/testing';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { z } from 'zod';
import { completeAuthentication } from './authenticate';
import { Steps, check } from './steps';

/**
 * `npm run stripe:smoke`: the money path of the built standalone app against real Stripe in test
 * mode (or a Stripe-compatible server at STRIPE_API_BASE), checked through the public HTTP API and
 * in Stripe itself. Not part of `npm test`.
 */

const RATE = '1.00';
const RATE_CENTS = 100;
/** How long Stripe gets to show what the platform does after an answer (the next window's hold, the capture). */
const SETTLE_MS = 30_000;
/** Slack for the clocks of this machine and Stripe when looking for PaymentIntents made since a moment. */
const CLOCK_SLACK_SECONDS = 120;

interface Settings {
  secretKey: string;
  apiBase?: string;
}

interface Context {
  api: HttpClient;
  stripe: Stripe;
  steps: Steps;
  hostToken: string;
  shortCode: string;
  /** Makes the guests' emails (and so the receipt_email of their holds) unique to this run. */
  run: string;
}

function refuse(message: string): never {
  console.error(`stripe smoke refused: ${message}`);
  process.exit(2);
}

/** Billing's Stripe variables, checked as billing checks them (the key is optional here: refused below with advice). */
const smokeSettings = defineSettings('stripe smoke', {
  STRIPE_SECRET_KEY: setting.optional(z.string().startsWith('sk_', 'must start with sk_')),
  STRIPE_API_BASE: setting.optional(setting.url(['http:', 'https:'])),
});

/** The Stripe settings, read by the platform's own config; anything but a test-mode key is refused. */
function settings(): Settings {
  let env;
  try {
    env = parseSettings(smokeSettings, process.env);
  } catch (error) {
    if (error instanceof ConfigError) refuse(error.message);
    throw error;
  }
  const key = env.STRIPE_SECRET_KEY;
  if (!key) refuse('STRIPE_SECRET_KEY is not set; give it a Stripe test-mode secret key (sk_test_…)');
  if (!key.startsWith('sk_test_')) refuse('STRIPE_SECRET_KEY is not a test-mode key (sk_test_…): the smoke places and captures holds, so it never runs with a live key');
  return { secretKey: key, apiBase: env.STRIPE_API_BASE };
}

function stripeClient({ secretKey, apiBase }: Settings): Stripe {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, telemetry: false };
  if (apiBase) {
    const base = new URL(apiBase);
    Object.assign(options, { protocol: base.protocol.replace(':', ''), host: base.hostname, port: base.port || undefined });
  }
  return new Stripe(secretKey, options);
}

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const idOf = (value: string | { id: string } | null) => (typeof value === 'string' ? value : value?.id);
const describe = (intents: Stripe.PaymentIntent[]) =>
  intents.map((intent) => `${intent.id} ${intent.status}${intent.status === 'succeeded' ? ` ${usd(intent.amount_received)}` : ''}`).join(', ') || 'none';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function expectStatus(what: string, response: HttpResponse, status: number): void {
  check(response.status === status, `${what} answered ${response.status}, expected ${status}: ${response.text.slice(0, 500)}`);
}

function expectError(what: string, response: HttpResponse, status: number, code: string): void {
  check(response.status === status && response.body?.error?.code === code, `${what} answered ${response.status}, expected ${status} ${code}: ${response.text.slice(0, 500)}`);
}

/** A Customer's PaymentIntents: Stripe's list is strongly consistent (its search is not). */
async function intentsOfCustomer(stripe: Stripe, customer: string): Promise<Stripe.PaymentIntent[]> {
  return (await stripe.paymentIntents.list({ customer, limit: 100 })).data;
}

/** PaymentIntents made since `since` (Unix seconds) that `wanted` picks, walking the list newest first. */
async function recentIntents(stripe: Stripe, since: number, wanted: (intent: Stripe.PaymentIntent) => boolean): Promise<Stripe.PaymentIntent[]> {
  const found: Stripe.PaymentIntent[] = [];
  for await (const intent of stripe.paymentIntents.list({ limit: 100 })) {
    if (intent.created < since) break;
    if (wanted(intent)) found.push(intent);
  }
  return found;
}

const joinCall = (ctx: Context, body: Record<string, unknown>) => ctx.api.post(`/v1/calls/join/${ctx.shortCode}`, body);

/** Join, the second window, end and the capture: one call of a guest with a good card. */
async function moneyPath(ctx: Context): Promise<void> {
  const { api, stripe, steps } = ctx;
  const since = nowSeconds() - CLOCK_SLACK_SECONDS;
  const first = await steps.run('join: first hold, Customer, saved card', async () => {
    const joined = await joinCall(ctx, { payment_method_id: 'pm_card_visa', guest_name: 'Smoke Guest', guest_email: `smoke-guest-${ctx.run}@example.com` });
    expectStatus('join', joined, 201);
    const callId: string = joined.body.call.id;
    const intents = await recentIntents(stripe, since, (intent) => intent.metadata.call_id === callId);
    check(intents.length === 1, `expected one PaymentIntent with metadata.call_id ${callId}, found ${describe(intents)}`);
    const [hold] = intents;
    const customer = idOf(hold.customer);
    const card = idOf(hold.payment_method);
    check(
      hold.status === 'requires_capture' && hold.amount === RATE_CENTS,
      `hold ${hold.id} is ${hold.status} for ${usd(hold.amount)}, expected requires_capture for ${usd(RATE_CENTS)}`,
    );
    check(customer && card && customer.startsWith('cus_'), `hold ${hold.id} has customer ${customer} and payment_method ${card}`);
    check(hold.setup_future_usage === 'off_session', `hold ${hold.id} has setup_future_usage ${hold.setup_future_usage}, expected off_session`);
    const savedTo = idOf((await stripe.paymentMethods.retrieve(card)).customer);
    check(savedTo === customer, `card ${card} is saved to ${savedTo}, expected ${customer}`);
    return {
      saw: `201, call ${callId}; ${hold.id} requires_capture ${usd(hold.amount)} for ${customer}, card ${card} saved to it`,
      callId,
      guestToken: joined.body.guest_token as string,
      customer,
      card,
    };
  });

  const hostJoinedAt = await steps.run('second window: off-session hold after host-join', async () => {
    const hostJoined = await api.post(`/v1/calls/${first.callId}/host-join`, undefined, { token: ctx.hostToken });
    expectStatus('host-join', hostJoined, 201);
    const joinedAt = Date.now();
    const isSecond = (intent: Stripe.PaymentIntent) => intent.metadata.call_id === first.callId && intent.metadata.window === '2' && intent.status === 'requires_capture';
    const intents = await eventually(
      () => intentsOfCustomer(stripe, first.customer),
      (list) => list.some(isSecond),
      SETTLE_MS,
    );
    const hold = intents.find(isSecond);
    check(hold, `no held window 2 within ${SETTLE_MS / 1000} s; the Customer's PaymentIntents: ${describe(intents)}`);
    check(
      idOf(hold.customer) === first.customer && idOf(hold.payment_method) === first.card,
      `${hold.id} is on ${idOf(hold.customer)} / ${idOf(hold.payment_method)}, expected ${first.customer} / ${first.card}`,
    );
    // Stripe does not show off_session on the object: a merchant-initiated hold asks nothing of the card's future use and needs no action.
    check(hold.setup_future_usage === null && hold.next_action === null, `${hold.id} has setup_future_usage ${hold.setup_future_usage}, next_action ${hold.next_action?.type}`);
    return { saw: `host-join 201; ${hold.id} requires_capture ${usd(hold.amount)}, window 2, off-session on ${first.customer} with ${first.card}`, joinedAt };
  });

  const ended = await steps.run('end: the minutes used', async () => {
    await sleep(Math.max(0, hostJoinedAt.joinedAt + 3_000 - Date.now())); // the first minute is under way
    const response = await api.post(`/v1/calls/${first.callId}/end`, {}, { token: first.guestToken });
    expectStatus('end', response, 200);
    const call = response.body.call;
    const charged = parseCents(call.total_charged);
    check(call.status === 'completed' && call.billed_minutes === 1 && charged === RATE_CENTS, `expected completed, 1 minute, ${RATE}: ${JSON.stringify(call)}`);
    return { saw: `200, ${call.status}, ${call.billed_minutes} min, total_charged ${call.total_charged}`, charged };
  });

  await steps.run('in Stripe: exact capture, the unused hold cancelled', async () => {
    const intents = await eventually(
      () => intentsOfCustomer(stripe, first.customer),
      (list) => !list.some((intent) => intent.status === 'requires_capture'),
      SETTLE_MS,
    );
    const succeeded = intents.filter((intent) => intent.status === 'succeeded');
    const rest = intents.filter((intent) => intent.status !== 'succeeded');
    check(intents.length >= 2 && intents.every((intent) => intent.metadata.call_id === first.callId), `the Customer's PaymentIntents are not the call's two: ${describe(intents)}`);
    check(
      succeeded.length === 1 && succeeded[0].amount_received === ended.charged && rest.every((intent) => intent.status === 'canceled'),
      `expected one succeeded with ${usd(ended.charged)} received and the rest canceled: ${describe(intents)}`,
    );
    return { saw: describe(intents) };
  });
}

async function declinedCard(ctx: Context): Promise<void> {
  await ctx.steps.run('declined card (pm_card_chargeDeclined)', async () => {
    const since = nowSeconds() - CLOCK_SLACK_SECONDS;
    const email = `smoke-declined-${ctx.run}@example.com`;
    const response = await joinCall(ctx, { payment_method_id: 'pm_card_chargeDeclined', guest_email: email });
    expectError('join', response, 402, 'stripe_error');
    // A refused join answers no call id: the attempt's PaymentIntents carry the guest's email.
    const tried = await recentIntents(ctx.stripe, since, (intent) => intent.receipt_email === email);
    check(tried.length > 0 && !tried.some((intent) => intent.status === 'requires_capture'), `expected no hold left, found ${describe(tried)}`);
    return { saw: `402 stripe_error (${response.body.error.message}); in Stripe: ${describe(tried)}, no hold left` };
  });
}

async function cardAuthentication(ctx: Context): Promise<void> {
  const { steps, stripe } = ctx;
  const guest = { guest_name: 'Smoke 3DS', guest_email: `smoke-3ds-${ctx.run}@example.com` };
  const action = await steps.run('card authentication asked (pm_card_threeDSecure2Required)', async () => {
    const response = await joinCall(ctx, { payment_method_id: 'pm_card_threeDSecure2Required', ...guest });
    expectError('join', response, 402, 'payment_action_required');
    const details = response.body.error.details;
    const redirect = details?.next_action?.redirect_to_url;
    check(details?.payment_intent_id && redirect?.url && redirect?.return_url, `no payment_intent_id and next_action.redirect_to_url in ${response.text}`);
    const page = new URL(redirect.url);
    return {
      saw: `402 payment_action_required, ${details.payment_intent_id}, to ${page.origin}${page.pathname}`,
      intentId: details.payment_intent_id as string,
      url: redirect.url as string,
      returnUrl: redirect.return_url as string,
    };
  });

  const chromium = testEnvironment.chromiumPath;
  if (!existsSync(chromium)) {
    steps.skip('card authentication in the browser', `no Chromium at ${chromium} (set CHROMIUM_PATH); open ${action.url} by hand to see the authentication page`);
    steps.skip('join with the authenticated PaymentIntent', 'it needs the authentication');
    return;
  }
  await steps.run('card authentication in headless Chromium', async () => {
    const returnedTo = new URL(await completeAuthentication(chromium, action.url, action.returnUrl));
    const intent = await eventually(
      () => stripe.paymentIntents.retrieve(action.intentId),
      (found) => found.status === 'requires_capture',
      SETTLE_MS,
    );
    check(intent.status === 'requires_capture', `${intent.id} is ${intent.status} after the authentication, expected requires_capture`);
    const status = returnedTo.searchParams.get('redirect_status');
    return { saw: `sent back to ${returnedTo.origin}${returnedTo.pathname} (redirect_status=${status}); ${intent.id} requires_capture ${usd(intent.amount)}` };
  });

  await steps.run('join with payment_intent_id, ended at once', async () => {
    const joined = await joinCall(ctx, { payment_intent_id: action.intentId, ...guest });
    expectStatus('join', joined, 201);
    const callId: string = joined.body.call.id;
    const ended = await ctx.api.post(`/v1/calls/${callId}/end`, {}, { token: joined.body.guest_token });
    expectStatus('end', ended, 200);
    check(parseCents(ended.body.call.total_charged) === 0, `end charged ${ended.body.call.total_charged}, expected nothing`);
    const intent = await eventually(
      () => stripe.paymentIntents.retrieve(action.intentId),
      (found) => found.status !== 'requires_capture',
      SETTLE_MS,
    );
    check(intent.status === 'canceled' && intent.amount_received === 0, `${intent.id} is ${intent.status} with ${usd(intent.amount_received)} received, expected canceled`);
    return { saw: `201, call ${callId}; end 200 (${ended.body.call.status}, total_charged ${ended.body.call.total_charged}); ${intent.id} canceled, nothing captured` };
  });
}

async function main(): Promise<void> {
  const config = settings();
  const stripe = stripeClient(config);
  const steps = new Steps();
  const dataDir = mkdtempSync(join(tmpdir(), 'vidivo-smoke-'));
  chmodSync(dataDir, 0o755); // as root the postgres user keeps its cluster in DATA_DIR, so it goes with it
  let server: NodeProcess | undefined;
  const cleanUp = async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

  console.log(`Stripe smoke: the money path against ${config.apiBase ?? 'Stripe'} in test mode.`);
  console.log('Webhooks are not part of it: Stripe cannot deliver them to this machine; the test suite checks them.');
  try {
    await steps.part(async () => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const { api } = await steps.run('start the standalone platform', async () => {
        server = spawnNode('standalone', resolve(__dirname, '../../apps/standalone/src/main.js'), {
          PORT: String(port),
          PUBLIC_WEB_URL: baseUrl,
          DATA_DIR: dataDir,
          EMBEDDED_POSTGRES_PORT: String(await freePort()),
          STRIPE_SECRET_KEY: config.secretKey,
          ...(config.apiBase ? { STRIPE_API_BASE: config.apiBase } : {}),
          HOLD_TOPUP_LEAD_SECONDS: '60',
          RATE_LIMIT_PER_MINUTE: '0',
          DECLINED_PAYMENTS_PER_HOUR: '0',
          LOG_LEVEL: 'warn',
        });
        await waitForHttp(`${baseUrl}/health/ready`, [server], 120_000);
        return { saw: `${baseUrl}, DATA_DIR ${dataDir}`, api: new HttpClient(baseUrl) };
      });
      const run = Date.now().toString(36);
      const host = await steps.run('a host and a call link (1-minute windows)', async () => {
        const registered = await api.post('/v1/auth/register', {
          email: `smoke-host-${run}@example.com`,
          password: 'smoke test password',
          username: `smoke_${run}`,
          display_name: 'Smoke Host',
          role: 'host',
        });
        expectStatus('register', registered, 201);
        const link = await api.post('/v1/calls/links', { rate_per_minute: RATE, window_size_minutes: 1 }, { token: registered.body.access_token });
        expectStatus('create link', link, 201);
        return {
          saw: `host ${registered.body.user.id}, link ${link.body.short_code} at ${RATE}/min`,
          token: registered.body.access_token as string,
          shortCode: link.body.short_code as string,
        };
      });
      const ctx: Context = { api, stripe, steps, hostToken: host.token, shortCode: host.shortCode, run };
      await steps.part(() => moneyPath(ctx));
      await steps.part(() => declinedCard(ctx));
      await steps.part(() => cardAuthentication(ctx));
    });
  } finally {
    const exited = server && (server.child.exitCode ?? server.child.signalCode);
    if (server && exited !== null) console.log(`✗ the platform exited (${exited}) during the smoke; its last output:\n${server.output().slice(-4000)}`);
    await cleanUp();
  }
  console.log(steps.summary());
  process.exit(steps.passed ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
