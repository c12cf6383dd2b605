import { billingApp } from '@vidivo/app-billing';
import { JoinAttemptsSweeper, callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, registerAccount, startComposedPlatform } from '@vidivo/testing';
import { randomUUID } from 'node:crypto';

jest.setTimeout(60_000);

/**
 * A join whose answer is lost on the way back (the bus or the gateway went down after calls did its
 * work) answers the gateway 503, which frees the idempotency key; the client retries with the same
 * key (decision 32). That retry must get the first join's answer, not make a second call and hold.
 */
describe('a join retried after its answer was lost (real Postgres, Stripe emulator)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;

  beforeAll(async () => {
    platform = await startComposedPlatform({ name: 'join_retry', apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp], emulator: () => StripeEmulator.start() });
    hostToken = (await registerAccount(platform.api, 'host')).token;
  });

  afterAll(async () => {
    await platform?.close();
  });

  const newLink = async () =>
    (await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: hostToken })).body as { id: string; short_code: string };
  const join = (shortCode: string, key: string, card = 'pm_card_visa') =>
    platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: card, guest_name: 'Ada' }, { headers: { 'x-idempotency-key': key } });
  /** What the gateway does when calls' answer never came: the key is freed, so the retry runs again. */
  const loseTheAnswer = (key: string) => platform.sql.query(`DELETE FROM gateway.idempotency_keys WHERE key = $1`, [key]);
  const count = async (text: string, params: unknown[]) => ((await platform.sql.query(text, params)).rows[0] as { n: number }).n;

  it('answers the retry with the first join: one call, one link use, one hold', async () => {
    const [link, key] = [await newLink(), randomUUID()];
    const first = await join(link.short_code, key);
    expect(first.status).toBe(201);
    await loseTheAnswer(key);

    const retried = await join(link.short_code, key);
    expect(retried.status).toBe(201);
    expect(retried.body.call.id).toBe(first.body.call.id);
    expect(retried.body.guest_token).toBe(first.body.guest_token);
    expect(await count('SELECT count(*)::int AS n FROM calls.calls WHERE link_id = $1', [link.id])).toBe(1);
    expect(await count('SELECT use_count AS n FROM links.call_links WHERE id = $1', [link.id])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM billing.holds WHERE call_id = $1`, [first.body.call.id])).toBe(1);
  });

  it('runs the retry afresh when the first join was refused, and treats another body under the key as another join', async () => {
    const [link, key] = [await newLink(), randomUUID()];
    expect((await join(link.short_code, key, 'pm_card_chargeDeclined')).status).toBe(402);
    await loseTheAnswer(key);
    const withAnotherCard = await join(link.short_code, key, 'pm_card_visa');
    expect(withAnotherCard.status).toBe(201);
    expect(await count(`SELECT count(*)::int AS n FROM calls.calls WHERE link_id = $1 AND status = 'waiting'`, [link.id])).toBe(1);
  });

  it('forgets join attempts after a day, as the gateway forgets its keys', async () => {
    const [link, key] = [await newLink(), randomUUID()];
    const first = await join(link.short_code, key);
    await platform.sql.query(`UPDATE calls.join_attempts SET created_at = now() - interval '25 hours' WHERE call_id = $1`, [first.body.call.id]);
    expect(await platform.app.app.get(JoinAttemptsSweeper, { strict: false }).forgetOld()).toBeGreaterThanOrEqual(1);
    expect(await count('SELECT count(*)::int AS n FROM calls.join_attempts WHERE call_id = $1', [first.body.call.id])).toBe(0);
  });
});
