import { billingApp } from '@vidivo/app-billing';
import { CallsRepository, LinkClaimsSweeper, LinkUses, callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ErrorCode } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { ComposedPlatform, eventually, registerAccount, startComposedPlatform } from '@vidivo/testing';
import { ulid } from 'ulid';

jest.setTimeout(60_000);

const GRACE_SECONDS = 2;

/**
 * A join claims a use of the link, then records the call (decision 32). These tests stop a join
 * between the two, as a crash of calls would, and check that the use comes back to the link: every
 * link's use_count stays the number of its claims that back a call.
 */
describe('link uses survive a join that dies between the claim and the call (real Postgres)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;
  let linkUses: LinkUses;
  let calls: CallsRepository;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'link_claim_recovery',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      env: { CALL_LINK_CLAIM_GRACE_SECONDS: String(GRACE_SECONDS), CALL_NO_SHOW_SECONDS: '600', CALL_ABANDON_SECONDS: '0' },
    });
    hostToken = (await registerAccount(platform.api, 'host')).token;
    linkUses = platform.app.app.get(LinkUses, { strict: false });
    calls = platform.app.app.get(CallsRepository, { strict: false });
  });

  afterAll(async () => {
    await platform?.close();
  });

  const oneUseLink = async () =>
    (await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5, max_uses: 1 }, { token: hostToken })).body as { id: string; short_code: string };
  const join = (shortCode: string) => platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: 'Ada' });
  const row = async (text: string, params: unknown[]) => (await platform.sql.query(text, params)).rows[0];
  const useCount = async (linkId: string): Promise<number> => (await row('SELECT use_count FROM links.call_links WHERE id = $1', [linkId])).use_count;
  const callsOf = async (linkId: string): Promise<number> => (await row('SELECT count(*)::int AS n FROM calls.calls WHERE link_id = $1', [linkId])).n;
  const pendingClaims = async (): Promise<number> => (await row('SELECT count(*)::int AS n FROM calls.pending_link_claims', [])).n;

  it('gives back the use of a join that claimed it and never recorded its call, after the grace', async () => {
    const link = await oneUseLink();
    const callId = ulid();
    // What a join does before it records the call; then calls "crashes": nothing more happens for this call.
    await linkUses.claim(link.short_code, callId);
    expect(await useCount(link.id)).toBe(1);
    expect((await join(link.short_code)).status).toBe(409);

    await eventually(
      () => useCount(link.id),
      (count) => count === 0,
    );
    expect(await row('SELECT released_at FROM links.link_claims WHERE call_id = $1', [callId])).toEqual({ released_at: expect.any(Date) });
    expect(await pendingClaims()).toBe(0);
    expect(await callsOf(link.id)).toBe(0);

    const joined = await join(link.short_code);
    expect(joined.status).toBe(201);
    expect(await useCount(link.id)).toBe(1);
    expect(await callsOf(link.id)).toBe(1);
  });

  it('refuses to record the call of a join slower than the grace, whose use was given back meanwhile', async () => {
    const link = await oneUseLink();
    const callId = ulid();
    await linkUses.claim(link.short_code, callId);
    await eventually(
      () => useCount(link.id),
      (count) => count === 0,
    );

    // The slow join gets this far only now: the call it would record is refused, so no call lacks its use.
    const other = await join(link.short_code);
    expect(other.status).toBe(201);
    const late = { ...(await calls.byIdOrFail(other.body.call.id)), id: callId };
    const refused = await linkUses.recordCall(late).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe(ErrorCode.ServiceUnavailable);
    expect(await calls.byId(callId)).toBeNull();
    expect(await useCount(link.id)).toBe(1);
    expect(await callsOf(link.id)).toBe(1);
  });

  it('sweeps nothing a join still in its grace holds, and leaves the uses of recorded calls alone', async () => {
    const link = await (await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: hostToken })).body;
    const joined = await Promise.all(Array.from({ length: 5 }, () => join(link.short_code)));
    expect(joined.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    await linkUses.claim(link.short_code, ulid());

    expect(await platform.app.app.get(LinkClaimsSweeper, { strict: false }).sweep()).toBe(0);
    expect(await useCount(link.id)).toBe(6);
    await eventually(
      () => useCount(link.id),
      (count) => count === 5,
    );
    expect(await callsOf(link.id)).toBe(5);
  });
});
