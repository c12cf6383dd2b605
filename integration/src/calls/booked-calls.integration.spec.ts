import { billingApp } from '@vidivo/app-billing';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
// A test-only import: it must not make the apps' builds depend on each other (a cycle).
import { schedulingApp } from '@vidivo/app-scheduling';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ALWAYS_OPEN_AVAILABILITY, Account, ComposedPlatform, eventually, registerAccount, sleep, startComposedPlatform } from '@vidivo/testing';
import { callsApp } from '@vidivo/app-calls';

jest.setTimeout(30_000);

const MINUTE_MS = 60_000;
const utcSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
/** The next whole minute at least a minute away: bookable now, and its call already open (10 minutes early, decision 18). */
const soon = () => Math.ceil((Date.now() + MINUTE_MS) / MINUTE_MS) * MINUTE_MS;

describe('booked calls: POST /v1/calls/:id/join over HTTP (real Postgres, Stripe emulator)', () => {
  let platform: ComposedPlatform<StripeEmulator>;

  /** A host available all day, every day, in UTC, with no notice: any near future time can be booked. */
  const newHost = async (): Promise<Account> => {
    const host = await registerAccount(platform.api, 'host');
    const response = await platform.api.put('/v1/schedule/availability', ALWAYS_OPEN_AVAILABILITY, { token: host.token });
    expect(response.status).toBe(200);
    return host;
  };
  const book = async (guest: Account, host: Account, scheduledAt: number, duration = 30): Promise<{ id: string; scheduled_at: string }> => {
    const response = await platform.api.post(
      '/v1/schedule/book',
      { host_username: host.username, scheduled_at: utcSeconds(scheduledAt), duration_minutes: duration },
      { token: guest.token },
    );
    expect(response.status).toBe(201);
    return response.body;
  };
  const joinBooked = (id: string, account: Account, body: Record<string, unknown> = {}) => platform.api.post(`/v1/calls/${id}/join`, body, { token: account.token });
  const heldFor = (callId: string) => platform.emulator.paymentIntents({ callId });
  const callRow = async (id: string) => (await platform.sql.query(`SELECT status, booking_id, short_code, expected_at, started_at FROM calls.calls WHERE id = $1`, [id])).rows[0];
  const callStatus = (id: string, account: Account) => platform.api.get(`/v1/calls/${id}`, { token: account.token }).then((response) => response.body);
  const settled = (callId: string) =>
    eventually(
      () => platform.sql.query(`SELECT status FROM billing.call_accounts WHERE call_id = $1`, [callId]).then((result) => result.rows[0]?.status),
      (status) => status === 'settled' || status === 'failed',
    );
  /** Ends a running call after 90 s of talk (2 billed minutes) and checks that exactly total_charged was captured. */
  const endAfter90Seconds = async (id: string, by: Account) => {
    await platform.sql.query(`UPDATE calls.calls SET started_at = now() - interval '90 seconds' WHERE id = $1`, [id]);
    const ended = await platform.api.post(`/v1/calls/${id}/end`, {}, { token: by.token });
    expect(ended.status).toBe(200);
    expect(ended.body.call).toMatchObject({ id, status: 'completed', billed_minutes: 2, total_charged: '5.00' });
    expect(ended.body.call.duration_seconds).toBeGreaterThanOrEqual(90);
    const intents = await eventually(
      () => Promise.resolve(heldFor(id)),
      (list) => list.every((intent) => intent.status !== 'requires_capture'),
    );
    expect(intents.reduce((sum, intent) => sum + intent.amount_received, 0)).toBe(500);
    expect(intents.filter((intent) => intent.status === 'succeeded')).toEqual([expect.objectContaining({ amount: 2500, amount_received: 500 })]);
    expect(await settled(id)).toBe('settled');
    return ended.body.call;
  };

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'booked_calls',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, schedulingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        STRIPE_TIMEOUT_MS: '1000',
        CALL_NO_SHOW_SECONDS: '4',
        // No signaling here: nobody connects, so the rule for abandoned calls stays off.
        CALL_ABANDON_SECONDS: '0',
      },
    });
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('runs host join → guest join → end: waiting, then active, then completed with exactly total_charged captured', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');
    const booking = await book(guest, host, soon());

    const hostJoined = await joinBooked(booking.id, host);
    expect(hostJoined.status).toBe(201);
    expect(hostJoined.body.call).toMatchObject({
      id: booking.id,
      status: 'waiting',
      booking_id: booking.id,
      short_code: null,
      host: { id: host.id, display_name: host.displayName },
      guest: { id: guest.id, display_name: guest.displayName },
      rate_per_minute: '2.50',
      window_size_minutes: 10,
      started_at: null,
    });
    expect(hostJoined.body.signaling_token).toMatch(/^st_/);
    expect(hostJoined.body.turn_credentials.username).toMatch(new RegExp(`^\\d+:${host.id}$`));
    expect(heldFor(booking.id)).toEqual([]);
    // The host is in: the sweep for absent hosts waits until the booked time is over.
    expect((await callRow(booking.id)).expected_at).toEqual(new Date(Date.parse(booking.scheduled_at) + 30 * MINUTE_MS));

    const guestJoined = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_visa' });
    expect(guestJoined.status).toBe(201);
    expect(guestJoined.body.call).toMatchObject({ id: booking.id, status: 'active', booking_id: booking.id, short_code: null });
    expect(guestJoined.body.call.started_at).toEqual(expect.any(String));
    expect(guestJoined.body.signaling_token).toMatch(/^st_/);
    expect(guestJoined.body.turn_credentials.username).toMatch(new RegExp(`^\\d+:${guest.id}$`));
    expect(heldFor(booking.id)).toEqual([expect.objectContaining({ amount: 2500, status: 'requires_capture', capture_method: 'manual' })]);
    expect(await callStatus(booking.id, host)).toMatchObject({ status: 'active', booking_id: booking.id });

    // Joining again (a reconnect) changes nothing and holds nothing more.
    const rejoined = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_visa' });
    expect(rejoined.status).toBe(201);
    expect(rejoined.body.call.status).toBe('active');
    expect(heldFor(booking.id)).toHaveLength(1);

    await endAfter90Seconds(booking.id, host);
    const ledger = await platform.sql.query(`SELECT operation, outcome, amount_cents FROM billing.ledger WHERE call_id = $1 ORDER BY created_at`, [booking.id]);
    expect(ledger.rows).toEqual([
      { operation: 'authorize', outcome: 'succeeded', amount_cents: 2500 },
      { operation: 'capture', outcome: 'succeeded', amount_cents: 500 },
    ]);
    const over = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_visa' });
    expect([over.status, over.body.error.code]).toEqual([409, 'conflict']);
  });

  it('answers a declined card with 402 and lets the guest retry with another card; the guest first, then the host', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');
    const booking = await book(guest, host, soon());

    const declined = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_chargeDeclined' });
    expect([declined.status, declined.body.error.code]).toEqual([402, 'stripe_error']);
    expect(heldFor(booking.id).filter((intent) => intent.status === 'requires_capture')).toEqual([]);

    const retried = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_visa' });
    expect(retried.status).toBe(201);
    expect(retried.body.call).toMatchObject({ id: booking.id, status: 'waiting', booking_id: booking.id, short_code: null });
    expect(
      heldFor(booking.id)
        .map((intent) => [intent.status, intent.amount])
        .sort(),
    ).toEqual([
      ['requires_capture', 2500],
      ['requires_payment_method', 2500],
    ]);

    const hostJoined = await joinBooked(booking.id, host);
    expect(hostJoined.status).toBe(201);
    expect(hostJoined.body.call.status).toBe('active');
    await endAfter90Seconds(booking.id, guest);
  });

  it('lets the guest authenticate the card (3-D Secure) and join with the PaymentIntent; a failed authentication is a 402', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');
    const booking = await book(guest, host, soon());
    expect((await joinBooked(booking.id, host)).status).toBe(201);

    const needsAction = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_threeDSecure2Required' });
    expect([needsAction.status, needsAction.body.error.code]).toEqual([402, 'payment_action_required']);
    const { payment_intent_id: first, next_action } = needsAction.body.error.details;
    expect(next_action.redirect_to_url.return_url).toBe(`http://localhost:3000/bookings/${booking.id}`);
    expect((await callStatus(booking.id, host)).status).toBe('waiting');

    // A failed authentication: 402, and the guest may come back with another card that needs it too.
    platform.emulator.authenticate(first, 'fail');
    const failed = await joinBooked(booking.id, guest, { payment_intent_id: first });
    expect([failed.status, failed.body.error.code]).toEqual([402, 'stripe_error']);
    const again = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_authenticationRequiredOnSetup' });
    expect([again.status, again.body.error.code]).toEqual([402, 'payment_action_required']);
    const second = again.body.error.details.payment_intent_id;
    expect(second).not.toBe(first);

    platform.emulator.authenticate(second, 'succeed');
    const joined = await joinBooked(booking.id, guest, { payment_intent_id: second });
    expect(joined.status).toBe(201);
    expect(joined.body.call).toMatchObject({ id: booking.id, status: 'active' });
    expect(
      heldFor(booking.id)
        .filter((intent) => intent.status === 'requires_capture')
        .map((intent) => intent.id),
    ).toEqual([second]);
    await endAfter90Seconds(booking.id, guest);
  });

  it('refuses joins too early, after a cancel, by strangers, and a guest without a card', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');
    const stranger = await registerAccount(platform.api, 'user');

    const nextWeek = await book(guest, host, Math.ceil((Date.now() + 7 * 24 * 3600_000) / 3600_000) * 3600_000);
    for (const [account, body] of [
      [host, {}],
      [guest, { payment_method_id: 'pm_card_visa' }],
    ] as const) {
      const early = await joinBooked(nextWeek.id, account, body);
      expect([early.status, early.body.error.code]).toEqual([409, 'conflict']);
    }

    const booking = await book(guest, host, soon());
    const forbidden = await joinBooked(booking.id, stranger, { payment_method_id: 'pm_card_visa' });
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'forbidden']);
    const otherHost = await newHost();
    expect((await joinBooked(booking.id, otherHost)).status).toBe(403);
    const noCard = await joinBooked(booking.id, guest);
    expect([noCard.status, noCard.body.error.code]).toEqual([400, 'validation_error']);
    expect(noCard.body.error.details.map((detail: { field: string }) => detail.field)).toContain('payment_method_id');
    for (const body of [{ payment_method_id: 'card_123' }, { payment_method_id: 42 }, { payment_method_id: 'pm_card_visa', extra: true }]) {
      expect([JSON.stringify(body), (await joinBooked(booking.id, guest, body)).status]).toEqual([JSON.stringify(body), 400]);
    }
    expect((await joinBooked('01JN2X6M0P5H9SRBTXY8ZDKEFG', guest, { payment_method_id: 'pm_card_visa' })).status).toBe(404);
    expect((await joinBooked('not-a-booking', guest, { payment_method_id: 'pm_card_visa' })).status).toBe(404);
    expect((await platform.api.post(`/v1/calls/${booking.id}/join`, {})).status).toBe(401);

    expect((await platform.api.put(`/v1/schedule/${booking.id}/cancel`, { reason: 'Something came up' }, { token: guest.token })).status).toBe(204);
    for (const [account, body] of [
      [host, {}],
      [guest, { payment_method_id: 'pm_card_visa' }],
    ] as const) {
      const cancelled = await joinBooked(booking.id, account, body);
      expect([cancelled.status, cancelled.body.error.code]).toEqual([409, 'conflict']);
    }

    // None of these made a call or placed a hold.
    const calls = await platform.sql.query(`SELECT count(*)::int AS n FROM calls.calls WHERE id = ANY($1)`, [[nextWeek.id, booking.id]]);
    expect(calls.rows[0].n).toBe(0);
    expect([...heldFor(nextWeek.id), ...heldFor(booking.id)]).toEqual([]);
  });

  it('keeps the call open for a late guest while the host waits inside the booked time (decision 18)', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');
    const booking = await book(guest, host, soon());
    // The booked time began 5 minutes ago and runs 25 more.
    await platform.sql.query(
      `UPDATE scheduling.bookings SET scheduled_at = now() - interval '5 minutes', ends_at = now() + interval '25 minutes', blocked_until = now() + interval '25 minutes' WHERE id = $1`,
      [booking.id],
    );
    const hostJoined = await joinBooked(booking.id, host);
    expect(hostJoined.body.call.status).toBe('waiting');
    // Well past the no-show threshold (4 s) and a few sweeps (every second): the host is here, so nobody missed anything.
    await sleep(6_500);
    expect(await callStatus(booking.id, host)).toMatchObject({ status: 'waiting', ended_at: null });

    const guestJoined = await joinBooked(booking.id, guest, { payment_method_id: 'pm_card_visa' });
    expect(guestJoined.status).toBe(201);
    expect(guestJoined.body.call.status).toBe('active');
    await endAfter90Seconds(booking.id, guest);
  });

  it('marks a booked call missed when the host does not come, counting from max(first join, scheduled_at), and releases the hold', async () => {
    const host = await newHost();
    const guest = await registerAccount(platform.api, 'user');

    // Joined early: the clock starts at scheduled_at, a minute or more away.
    const upcoming = await book(guest, host, soon());
    expect((await joinBooked(upcoming.id, guest, { payment_method_id: 'pm_card_visa' })).status).toBe(201);
    expect((await callRow(upcoming.id)).expected_at).toEqual(new Date(upcoming.scheduled_at));

    // Joined after the start (the booking is moved 5 minutes into the past, as if it had begun): the clock starts at the join.
    const lateHost = await newHost();
    const started = await book(guest, lateHost, soon() + 60 * MINUTE_MS);
    await platform.sql.query(
      `UPDATE scheduling.bookings SET scheduled_at = now() - interval '5 minutes', ends_at = now() + interval '25 minutes', blocked_until = now() + interval '25 minutes' WHERE id = $1`,
      [started.id],
    );
    const beforeJoin = Date.now();
    const joined = await joinBooked(started.id, guest, { payment_method_id: 'pm_card_visa' });
    expect(joined.status).toBe(201);
    expect(joined.body.call.status).toBe('waiting');
    expect(Math.abs((await callRow(started.id)).expected_at.getTime() - beforeJoin)).toBeLessThan(5_000);

    const missed = await eventually(
      () => callStatus(started.id, guest),
      (call) => call.status === 'missed',
    );
    expect(missed).toMatchObject({ status: 'missed', end_reason: 'timeout', total_charged: '0.00', booking_id: started.id });
    expect(Date.now() - beforeJoin).toBeGreaterThanOrEqual(4_000);
    // The early call's guest has waited longer than the threshold too, but its clock has not started yet.
    expect(await callStatus(upcoming.id, guest)).toMatchObject({ status: 'waiting' });

    const intents = await eventually(
      () => Promise.resolve(heldFor(started.id)),
      (list) => list[0]?.status === 'canceled',
    );
    expect(intents.map((intent) => intent.status)).toEqual(['canceled']);
    expect(await settled(started.id)).toBe('settled');
    const late = await joinBooked(started.id, lateHost);
    expect([late.status, late.body.error.code]).toEqual([409, 'conflict']);
  });
});
