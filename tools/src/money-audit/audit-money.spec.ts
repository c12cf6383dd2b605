import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, reach, registerAccount, sleep, startComposedPlatform } from '@vidivo/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { MoneyAuditReport, auditMoney } from './audit-money';
import { EXIT } from './audit-money.command';
import { auditStripeClient } from './stripe-client';

jest.setTimeout(60_000);

const SECRET_KEY = 'sk_test_money_audit';
const CLI = join(__dirname, 'audit-money.cli.js');

/**
 * The money audit (decision 33) against the platform as it runs: real lifecycles over HTTP on real
 * Postgres and the Stripe emulator leave it clean; then each kind of discrepancy is made for real
 * (SQL behind the apps' backs, PaymentIntents made and captured on the emulator through the SDK)
 * and the audit names it, and only it, for the call concerned.
 */
describe('the money audit (real Postgres, Stripe emulator, real lifecycles)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;
  let shortCode: string;
  const since = new Date(Date.now() - 1000);

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'money_audit',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      // No signaling here: nobody connects, so the rule for abandoned calls stays off.
      env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_TIMEOUT_MS: '2000', CALL_ABANDON_SECONDS: '0' },
    });
    hostToken = (await registerAccount(platform.api, 'host')).token;
    const link = await platform.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: hostToken });
    expect(link.status).toBe(201);
    shortCode = link.body.short_code;
  });

  afterAll(async () => {
    await platform?.close();
  });

  const audit = (settleGraceSeconds = 0): Promise<MoneyAuditReport> =>
    auditMoney({ databaseUrl: platform.database.url, stripeSecretKey: SECRET_KEY, stripeApiBase: platform.emulator.url, since, settleGraceSeconds });
  const discrepanciesOf = async (callId: string, settleGraceSeconds = 0) => (await audit(settleGraceSeconds)).discrepancies.filter((found) => found.call_id === callId);
  const stripe = () => auditStripeClient(SECRET_KEY, platform.emulator.url);

  /** A guest joins with `card`; answers the call and the guest's token. */
  const join = async (card = 'pm_card_visa') => {
    const joined = await platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: card, guest_name: 'Grace' });
    return { status: joined.status, callId: joined.body.call?.id as string, guestToken: joined.body.guest_token as string };
  };
  const hostJoins = async (callId: string) => expect((await platform.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: hostToken })).status).toBe(201);
  const settled = (callId: string) =>
    reach(
      async () => (await platform.sql.query(`SELECT status FROM billing.call_accounts WHERE call_id = $1`, [callId])).rows[0]?.status,
      (status) => status === 'settled',
      (status) => `call ${callId}: billing account ${status}, not settled`,
    );
  /** join → host-join → `talkSeconds` of talk → the guest ends; answers once billing has settled it. */
  const lifecycle = async (talkSeconds: number) => {
    const { callId, guestToken } = await join();
    await hostJoins(callId);
    await platform.sql.query(`UPDATE calls.calls SET started_at = now() - $2 * interval '1 second' WHERE id = $1`, [callId, talkSeconds]);
    expect((await platform.api.post(`/v1/calls/${callId}/end`, {}, { token: guestToken })).status).toBe(200);
    await settled(callId);
    return callId;
  };
  /** 7 min 30 s of talk: 8 billed minutes at 2.50, 20.00 captured from the 25.00 hold. */
  const TALK = 450;

  describe('on what the platform did by itself', () => {
    let runningCall: string;

    it('finds nothing: calls completed, ended before the host came, declined, and one still running with its hold open', async () => {
      await lifecycle(TALK);
      await lifecycle(TALK);
      const early = await join();
      expect((await platform.api.post(`/v1/calls/${early.callId}/end`, {}, { token: early.guestToken })).status).toBe(200);
      await settled(early.callId);
      expect((await join('pm_card_chargeDeclined')).status).toBe(402);
      runningCall = (await join()).callId;
      await hostJoins(runningCall);

      const report = await audit();
      expect(report.discrepancies).toEqual([]);
      expect(report.calls_checked).toBe(5);
      // One PaymentIntent per call, the declined one included (it stays requires_payment_method).
      expect(report.payment_intents_checked).toBe(5);
    });

    it('exits 0 from the command line when it finds nothing', async () => {
      const run = await runCli(['--since', since.toISOString(), '--settle-grace', '0']);
      expect(run.stdout).toContain('Checked 5 calls and 5 PaymentIntents: no discrepancies.');
      expect(run.code).toBe(EXIT.clean);
    });

    it('reports the hold of a call marked ended behind billing’s back, but not within the settle grace', async () => {
      await platform.sql.query(`UPDATE calls.calls SET status = 'completed', ended_at = now(), end_reason = 'user_ended' WHERE id = $1`, [runningCall]);
      expect(await discrepanciesOf(runningCall, 120)).toEqual([]);
      expect(await discrepanciesOf(runningCall)).toEqual([
        expect.objectContaining({ kind: 'hold_open_after_call_ended', payment_intent_id: expect.stringMatching(/^pi_/), actual: 'requires_capture' }),
      ]);
    });
  });

  it('reports a capture that differs from total_charged', async () => {
    const callId = await lifecycle(TALK);
    await platform.sql.query(`UPDATE calls.calls SET total_charged_cents = total_charged_cents + 250 WHERE id = $1`, [callId]);
    expect(await discrepanciesOf(callId)).toEqual([expect.objectContaining({ kind: 'capture_mismatch', expected: '22.50', actual: '20.00' })]);
  });

  it('reports a second capture of a billing window, by a PaymentIntent nobody recorded, also when the call began before the audited period', async () => {
    const callId = await lifecycle(TALK);
    // Stripe's times are whole seconds: the period starts at the next one, after the call's own PaymentIntent.
    await sleep(1000 - (Date.now() % 1000));
    const afterTheCall = new Date();
    const again = await stripe().paymentIntents.create({
      amount: 500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      metadata: { call_id: callId, window: '1' },
    });
    await stripe().paymentIntents.capture(again.id);
    expect(await discrepanciesOf(callId)).toEqual([
      expect.objectContaining({ kind: 'capture_mismatch', expected: '20.00', actual: '25.00' }),
      expect.objectContaining({ kind: 'double_capture', payment_intent_id: again.id }),
      expect.objectContaining({ kind: 'unknown_payment_intent', payment_intent_id: again.id, actual: 'succeeded' }),
    ]);
    // Only the second PaymentIntent was created in this period: the call, its hold and the first one are read because it names them.
    const later = await auditMoney({
      databaseUrl: platform.database.url,
      stripeSecretKey: SECRET_KEY,
      stripeApiBase: platform.emulator.url,
      since: afterTheCall,
      settleGraceSeconds: 0,
    });
    expect(later).toMatchObject({ calls_checked: 1, payment_intents_checked: 2 });
    expect(later.discrepancies.map((found) => found.kind)).toEqual(['capture_mismatch', 'double_capture', 'unknown_payment_intent']);
  });

  it('reports a PaymentIntent with our metadata that the platform has no record of, once it is older than the settle grace', async () => {
    const strangerCall = ulid();
    const stranger = await stripe().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      metadata: { call_id: strangerCall, window: '1' },
    });
    expect(await discrepanciesOf(strangerCall, 120)).toEqual([]);
    expect(await discrepanciesOf(strangerCall)).toEqual([expect.objectContaining({ kind: 'unknown_payment_intent', payment_intent_id: stranger.id, actual: 'requires_capture' })]);
  });

  it('leaves alone PaymentIntents without our metadata', async () => {
    const before = await audit();
    await stripe().paymentIntents.create({ amount: 700, currency: 'usd', payment_method: 'pm_card_visa', capture_method: 'manual', confirm: true });
    const after = await audit();
    expect(after.payment_intents_checked).toBe(before.payment_intents_checked);
    expect(after.discrepancies).toEqual(before.discrepancies);
  });

  it('reports a hold whose PaymentIntent Stripe does not have', async () => {
    const callId = await lifecycle(TALK);
    const missing = `pi_missing${ulid()}`;
    await platform.sql.query(
      `INSERT INTO billing.holds (id, call_id, window_number, amount_cents, status, payment_intent_id, payment_method_id) VALUES ($1, $2, 2, 2500, 'authorized', $3, 'pm_card_visa')`,
      [ulid(), callId, missing],
    );
    expect(await discrepanciesOf(callId)).toEqual([expect.objectContaining({ kind: 'hold_missing_at_stripe', payment_intent_id: missing, actual: 'none' })]);
  });

  it('reports a ledger entry that disagrees with its PaymentIntent', async () => {
    const callId = await lifecycle(TALK);
    await platform.sql.query(`UPDATE billing.ledger SET amount_cents = amount_cents - 100 WHERE call_id = $1 AND operation = 'capture'`, [callId]);
    expect(await discrepanciesOf(callId)).toEqual([expect.objectContaining({ kind: 'ledger_mismatch', expected: '19.00', actual: '20.00' })]);
  });

  it('reports a hold that says other than its PaymentIntent', async () => {
    const callId = await lifecycle(TALK);
    await platform.sql.query(`UPDATE billing.holds SET status = 'cancelled' WHERE call_id = $1`, [callId]);
    expect(await discrepanciesOf(callId)).toEqual([expect.objectContaining({ kind: 'hold_mismatch', expected: 'canceled', actual: 'succeeded' })]);
  });

  it('exits 1 from the command line with discrepancies (the report as JSON with --json), 2 when it cannot run', async () => {
    const run = await runCli(['--since', since.toISOString(), '--settle-grace', '0', '--json']);
    expect(run.code).toBe(EXIT.discrepancies);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ since: since.toISOString(), settle_grace_seconds: 0, calls_checked: expect.any(Number) });
    expect(new Set(report.discrepancies.map((found: { kind: string }) => found.kind))).toEqual(
      new Set(['hold_open_after_call_ended', 'capture_mismatch', 'double_capture', 'unknown_payment_intent', 'hold_missing_at_stripe', 'ledger_mismatch', 'hold_mismatch']),
    );

    const readable = await runCli(['--since', since.toISOString(), '--settle-grace', '0']);
    expect(readable.code).toBe(EXIT.discrepancies);
    expect(readable.stdout).toMatch(/: \d+ discrepancies\.\n\ncapture_mismatch \(\d+\): /);

    const unreachable = await runCli([], { STRIPE_API_BASE: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(EXIT.error);
    expect(unreachable.stderr).toContain('money audit failed');
    const unconfigured = await runCli([], { DATABASE_URL: '' });
    expect(unconfigured.code).toBe(EXIT.error);
    expect(unconfigured.stderr).toContain('DATABASE_URL is required');
  });

  /** `npm run audit:money` as an operator runs it, against this platform (`env` changes its settings). */
  function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const settings = { DATABASE_URL: platform.database.url, STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_BASE: platform.emulator.url, ...env };
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...settings } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }
});
