import { Actor, ErrorCode, JoinCallRequest, LinkClaimDto } from '@vidivo/contracts';
import { AppError, PeriodicJobs, parseSettings } from '@vidivo/platform';
import { callsSettings } from '../../calls.settings';
import { ulid } from 'ulid';
import { CallsFakes, TEST_WEB_URL, aLinkClaim, anActor, callsFakes, standIn } from '../../testing';
import { FailedJoins } from '../../calls/failed-joins';
import { HostProfiles } from '../../calls/host-profiles';
import { JoinAttemptsSweeper } from '../../calls/join-attempts.sweeper';
import { JoinCallUseCase } from './join-call.use-case';

const CARD: JoinCallRequest = { payment_method_id: 'pm_card_visa' };
const CLAIM_GRACE_SECONDS = 60;
const JOIN_KEY = 'a'.repeat(64);

describe('JoinCallUseCase', () => {
  let fakes: CallsFakes;
  let joinCall: JoinCallUseCase;
  let host: Actor;
  let guest: Actor;
  let link: LinkClaimDto;

  beforeEach(() => {
    fakes = callsFakes();
    const settings = parseSettings(callsSettings, { TURN_SECRET: 'test-turn-secret-0123456789', CALL_LINK_CLAIM_GRACE_SECONDS: String(CLAIM_GRACE_SECONDS) });
    joinCall = new JoinCallUseCase(
      standIn(fakes.calls),
      new FailedJoins(fakes.transitions, fakes.linkUses),
      fakes.firstHolds,
      fakes.linkUses,
      standIn(fakes.bus),
      standIn(fakes.outbox),
      standIn(fakes.access),
      standIn(fakes.joinAttempts),
      new HostProfiles(standIn(fakes.bus)),
      settings,
    );
    host = anActor('host');
    guest = anActor('user');
    link = aLinkClaim(host.id);
    fakes.bus
      .answer('links.claim', () => link)
      .answer('links.release', () => ({ released: true }))
      .answer('identity.users.public-profile', ({ user_id }) => ({ id: user_id, display_name: 'Hana Host', avatar_url: null, username: 'hana' }))
      .answer('identity.users.contacts', ({ user_ids }) => user_ids.map((id) => ({ id, display_name: 'Gus Guest', email: 'gus@example.com' })))
      .answer('billing.holds.place-first', ({ call_id }) => ({ hold_id: ulid(), call_id, window: 1, amount: '7.50', status: 'authorized' }));
  });

  it('records a waiting call, places its first hold for the guest, then announces the call', async () => {
    const joined = await joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD });

    expect(joined.call).toMatchObject({ status: 'waiting', short_code: link.short_code, rate_per_minute: '1.50', host: { id: host.id }, guest: { id: guest.id } });
    expect(joined.signaling_token).toBe(`st_${joined.call.id}_guest`);
    expect(joined).not.toHaveProperty('guest_token');
    expect(fakes.bus.sent('links.claim')).toEqual([{ short_code: link.short_code, call_id: joined.call.id }]);
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([
      expect.objectContaining({
        call_id: joined.call.id,
        payment_method_id: 'pm_card_visa',
        guest: { id: guest.id, display_name: 'Gus Guest', email: 'gus@example.com' },
        purpose: `link:${link.link_id}`,
        return_url: `${TEST_WEB_URL}/c/${link.short_code}`,
      }),
    ]);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.created']);
    expect(fakes.calls.stored(joined.call.id)).toMatchObject({ status: 'waiting', linkId: link.link_id, guestJoinedAt: expect.any(Date), hostJoinedAt: null });
  });

  it('makes a guest account for a caller who came without one, and hands back its token', async () => {
    fakes.bus.answer('identity.auth.guest', ({ display_name }) => ({
      user: {
        id: guest.id,
        email: null,
        username: null,
        display_name: display_name ?? 'Guest',
        avatar_url: null,
        timezone: null,
        role: 'guest',
        created_at: '2026-01-01T00:00:00Z',
      },
      access_token: 'guest-access-token',
      expires_in: 900,
    }));

    const joined = await joinCall.execute({ shortCode: link.short_code, request: { ...CARD, guest_name: 'Anonymous Ann' } });

    expect(joined.guest_token).toBe('guest-access-token');
    expect(joined.call.guest).toEqual({ id: guest.id, display_name: 'Anonymous Ann' });
  });

  it('fails the call and gives the link use back when the hold is refused', async () => {
    fakes.bus.answer('billing.holds.place-first', () => {
      throw new AppError(ErrorCode.StripeError, 'Your card was declined.');
    });

    await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.StripeError });

    const [claim] = fakes.bus.sent('links.claim');
    expect(fakes.calls.stored(claim.call_id)).toMatchObject({ status: 'failed', endReason: 'billing_error', totalChargedCents: 0 });
    expect(fakes.bus.sent('links.release')).toEqual([{ call_id: claim.call_id }]);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.ended']);
  });

  it('leaves no call and no link use behind when the card needs authentication', async () => {
    fakes.bus.answer('billing.holds.place-first', ({ call_id }) => {
      throw AppError.paymentActionRequired('The card needs authentication', { payment_intent_id: `pi_${call_id}`, client_secret: 'secret', next_action: {} });
    });

    await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.PaymentActionRequired });

    expect(fakes.calls.rows.size).toBe(0);
    expect(fakes.bus.sent('links.release')).toHaveLength(1);
    expect(fakes.outbox.events).toEqual([]);
  });

  it('gives the authenticated PaymentIntent the call it was made for, and refuses a repeat with it (409) without touching that call', async () => {
    const callId = ulid();
    fakes.bus.answer('billing.holds.owner', () => ({ call_id: callId, purpose: `link:${link.link_id}` }));
    const authenticated: JoinCallRequest = { payment_intent_id: 'pi_3Qx7authenticated' };

    const joined = await joinCall.execute({ actor: guest, shortCode: link.short_code, request: authenticated });
    expect(joined.call.id).toBe(callId);
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([expect.objectContaining({ call_id: callId, payment_intent_id: 'pi_3Qx7authenticated' })]);

    await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: authenticated })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
      message: 'This payment already backs a call',
    });
    expect(fakes.calls.rows.size).toBe(1);
    expect(fakes.calls.stored(callId)?.status).toBe('waiting');
    expect(fakes.bus.sent('billing.holds.place-first')).toHaveLength(1);
    expect(fakes.bus.sent('links.release')).toEqual([{ call_id: callId }]);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.created']);
  });

  it('keeps a host out of their own link and administrators out of calls, giving back what was claimed', async () => {
    await expect(joinCall.execute({ actor: host, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(fakes.bus.sent('links.release')).toHaveLength(1);

    await expect(joinCall.execute({ actor: anActor('admin'), shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(fakes.bus.sent('links.claim')).toHaveLength(1);
    expect(fakes.calls.rows.size).toBe(0);
  });

  describe('keeping link uses whole across crashes (decision 32)', () => {
    const linksDown = () => {
      throw AppError.serviceUnavailable('No answer from links.release; try again shortly');
    };

    it('leaves nothing pending once the call is recorded', async () => {
      await joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD });
      expect(fakes.pendingClaims.rows.size).toBe(0);
    });

    it('keeps the claim pending for the sweep when links did not answer it (the use may be taken)', async () => {
      fakes.bus.answer('links.claim', () => {
        throw AppError.serviceUnavailable('No answer from links.claim; try again shortly');
      });
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
      const [claim] = fakes.bus.sent('links.claim');
      expect([...fakes.pendingClaims.rows.keys()]).toEqual([claim.call_id]);
    });

    it('keeps nothing pending when links refused the claim (nothing was taken)', async () => {
      fakes.bus.answer('links.claim', () => {
        throw AppError.conflict('This call link has reached its maximum number of uses');
      });
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.Conflict });
      expect(fakes.pendingClaims.rows.size).toBe(0);
    });

    it('keeps the claim pending when the use cannot be given back right away', async () => {
      fakes.bus.answer('identity.users.contacts', () => {
        throw AppError.serviceUnavailable('No answer from identity.users.contacts; try again shortly');
      });
      fakes.bus.answer('links.release', linksDown);
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
      expect(fakes.pendingClaims.rows.size).toBe(1);
      expect(fakes.calls.rows.size).toBe(0);
    });

    it('puts the claim of a call taken back for authentication pending again until links has the use', async () => {
      fakes.bus.answer('billing.holds.place-first', ({ call_id }) => {
        throw AppError.paymentActionRequired('The card needs authentication', { payment_intent_id: `pi_${call_id}`, client_secret: 'secret', next_action: {} });
      });
      fakes.bus.answer('links.release', linksDown);
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.PaymentActionRequired });
      const [claim] = fakes.bus.sent('links.claim');
      expect(fakes.calls.rows.size).toBe(0);
      expect([...fakes.pendingClaims.rows.keys()]).toEqual([claim.call_id]);
    });

    it('records no call when the sweep took its claim over first, and answers 503', async () => {
      fakes.bus.answer('identity.users.public-profile', async ({ user_id }) => {
        // The join stalls here past the grace: the sweep takes the claim over meanwhile.
        await fakes.pendingClaims.takeOverStale(0, 10);
        return { id: user_id, display_name: 'Hana Host', avatar_url: null, username: 'hana' };
      });
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD })).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
      expect(fakes.calls.rows.size).toBe(0);
      expect(fakes.bus.sent('billing.holds.place-first')).toEqual([]);
      expect(fakes.bus.sent('links.release')).toHaveLength(1);
    });

    it('refuses a second join for a call id whose claim is still pending', async () => {
      const callId = ulid();
      fakes.bus.answer('billing.holds.owner', () => ({ call_id: callId, purpose: `link:${link.link_id}` }));
      await fakes.pendingClaims.open(callId);
      await expect(joinCall.execute({ actor: guest, shortCode: link.short_code, request: { payment_intent_id: 'pi_3Qx7again' } })).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        message: 'A join for this call is already in progress',
      });
      expect(fakes.bus.sent('links.claim')).toEqual([]);
    });
  });

  it("asks identity for the host's public profile once a minute, not on every join", async () => {
    await joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD });
    await joinCall.execute({ actor: anActor('user'), shortCode: link.short_code, request: CARD });
    expect(fakes.bus.sent('identity.users.public-profile')).toEqual([{ user_id: host.id }]);
  });

  it('does not ask links about a short code that cannot exist', async () => {
    await expect(joinCall.execute({ actor: guest, shortCode: 'NOT-A-CODE', request: CARD })).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(fakes.bus.requests).toEqual([]);
  });

  describe("retried with the client's idempotency key (decision 32)", () => {
    const joinWithKey = (request: JoinCallRequest = CARD) => joinCall.execute({ actor: guest, shortCode: link.short_code, request, joinKey: JOIN_KEY });

    it('answers a retry whose first answer was lost with that answer: one call, one use, one hold', async () => {
      const first = await joinWithKey();
      const retried = await joinWithKey();

      expect(retried).toEqual(first);
      expect(fakes.bus.sent('links.claim')).toHaveLength(1);
      expect(fakes.bus.sent('billing.holds.place-first')).toHaveLength(1);
      expect(fakes.outbox.subjects().filter((subject) => subject === 'calls.call.created')).toHaveLength(1);
    });

    it('asks a retry that comes while the first join is still at work to come back shortly, and takes nothing for it', async () => {
      let placeHold!: () => void;
      fakes.bus.answer(
        'billing.holds.place-first',
        ({ call_id }) => new Promise((resolve) => (placeHold = () => resolve({ hold_id: ulid(), call_id, window: 1, amount: '7.50', status: 'authorized' }))),
      );
      const first = joinWithKey();
      while (fakes.bus.sent('billing.holds.place-first').length === 0) await new Promise((resolve) => setImmediate(resolve));

      await expect(joinWithKey()).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
      expect(fakes.bus.sent('links.claim')).toHaveLength(1);
      placeHold();
      const answered = await first;
      expect(await joinWithKey()).toEqual(answered);
    });

    it('runs a retry afresh after a join that failed, which left nothing to answer with', async () => {
      fakes.bus.answer('billing.holds.place-first', () => {
        throw new AppError(ErrorCode.StripeError, 'Your card was declined');
      });
      await expect(joinWithKey()).rejects.toMatchObject({ code: ErrorCode.StripeError });
      fakes.bus.answer('billing.holds.place-first', ({ call_id }) => ({ hold_id: ulid(), call_id, window: 1, amount: '7.50', status: 'authorized' }));

      const retried = await joinWithKey();
      expect(retried.call.status).toBe('waiting');
      expect(fakes.bus.sent('links.claim')).toHaveLength(2);
    });

    it('takes over a join that died before recording its call, once its claim has been given back', async () => {
      fakes.joinAttempts.rows.set(JOIN_KEY, { callId: ulid(), answer: null, startedAt: Date.now() - 1_000 });
      await expect(joinWithKey()).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });

      fakes.joinAttempts.rows.get(JOIN_KEY)!.startedAt = Date.now() - (CLAIM_GRACE_SECONDS + 1) * 1_000;
      expect((await joinWithKey()).call.status).toBe('waiting');
      expect(fakes.bus.sent('links.claim')).toHaveLength(1);
    });
  });

  describe('the join-attempts sweep (decision 32)', () => {
    const settings = () => parseSettings(callsSettings, { TURN_SECRET: 'test-turn-secret-0123456789', CALL_LINK_CLAIM_GRACE_SECONDS: String(CLAIM_GRACE_SECONDS) });

    it('fails the waiting call of a join that never answered, after twice the grace, and gives its use back', async () => {
      const sweeper = new JoinAttemptsSweeper(standIn(fakes.joinAttempts), new FailedJoins(fakes.transitions, fakes.linkUses), standIn({} as PeriodicJobs), settings());
      const { call } = await joinCall.execute({ actor: guest, shortCode: link.short_code, request: CARD, joinKey: JOIN_KEY });
      const attempt = fakes.joinAttempts.rows.get(JOIN_KEY)!;
      attempt.answer = null; // as if the join died after recording its call
      expect(await sweeper.failAbandoned()).toBe(0);

      attempt.startedAt = Date.now() - (2 * CLAIM_GRACE_SECONDS + 1) * 1_000;
      expect(await sweeper.failAbandoned()).toBe(1);
      expect((await fakes.calls.byId(call.id))?.status).toBe('failed');
      expect(fakes.bus.sent('links.release')).toEqual([{ call_id: call.id }]);
      expect(await sweeper.failAbandoned()).toBe(0);
    });
  });
});
