import { Actor, BookingDto, ErrorCode, JoinBookedCallRequest } from '@vidivo/contracts';
import { ulid } from 'ulid';
import { CallsFakes, TEST_WEB_URL, aBooking, anActor, callsFakes, standIn } from '../../testing';
import { EARLY_JOIN_MINUTES, JoinBookedCallUseCase } from './join-booked-call.use-case';

const CARD: JoinBookedCallRequest = { payment_method_id: 'pm_card_visa' };

describe('JoinBookedCallUseCase', () => {
  let fakes: CallsFakes;
  let joinBookedCall: JoinBookedCallUseCase;
  let host: Actor;
  let guest: Actor;
  let booking: BookingDto;

  beforeEach(() => {
    fakes = callsFakes();
    joinBookedCall = new JoinBookedCallUseCase(standIn(fakes.calls), fakes.transitions, fakes.firstHolds, standIn(fakes.bus), standIn(fakes.outbox), standIn(fakes.access));
    host = anActor('host');
    guest = anActor('user');
    booking = aBooking(host, guest);
    fakes.bus
      .answer('scheduling.booking', () => booking)
      .answer('identity.users.contacts', ({ user_ids }) => user_ids.map((id) => ({ id, display_name: 'Gus Guest', email: 'gus@example.com' })))
      .answer('billing.holds.place-first', ({ call_id }) => ({ hold_id: ulid(), call_id, window: 1, amount: '10.00', status: 'authorized' }));
  });

  it('lets the first participant in create the call, under the booking id, announced once', async () => {
    const joined = await joinBookedCall.execute({ actor: host, callId: booking.id, request: {} });

    expect(joined.call).toMatchObject({ id: booking.id, booking_id: booking.id, status: 'waiting', rate_per_minute: '2.00' });
    expect(joined.signaling_token).toBe(`st_${booking.id}_host`);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.created']);
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([]);
    // The host is in: the call is not missed while the guest may still come, up to the booked end.
    const stored = fakes.calls.stored(booking.id)!;
    expect(stored.hostJoinedAt).toEqual(expect.any(Date));
    expect(stored.expectedAt.getTime()).toBe(Date.parse(booking.scheduled_at) + booking.duration_minutes * 60_000);
  });

  it('places the hold when the guest joins, and starts the call once both are in', async () => {
    await joinBookedCall.execute({ actor: host, callId: booking.id, request: {} });

    const joined = await joinBookedCall.execute({ actor: guest, callId: booking.id, request: CARD });

    expect(joined.call).toMatchObject({ status: 'active', started_at: expect.any(String) });
    expect(joined.signaling_token).toBe(`st_${booking.id}_guest`);
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([
      expect.objectContaining({
        call_id: booking.id,
        payment_method_id: 'pm_card_visa',
        guest: { id: guest.id, display_name: 'Gus Guest', email: 'gus@example.com' },
        purpose: `booking:${booking.id}`,
        return_url: `${TEST_WEB_URL}/bookings/${booking.id}`,
      }),
    ]);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.created', 'calls.call.started']);
  });

  it('takes a repeated join as the same join: one call, one hold, one announcement', async () => {
    const first = await joinBookedCall.execute({ actor: guest, callId: booking.id, request: CARD });
    const again = await joinBookedCall.execute({ actor: guest, callId: booking.id, request: CARD });

    expect(again.call).toEqual(first.call);
    expect(first.call.status).toBe('waiting');
    expect(fakes.calls.rows.size).toBe(1);
    expect(fakes.bus.sent('billing.holds.place-first')).toHaveLength(1);
    expect(fakes.outbox.subjects()).toEqual(['calls.call.created']);
  });

  it.each([
    ['too early', () => aBooking(host, guest, -(EARLY_JOIN_MINUTES + 1)), /^The call opens at /],
    ['over', () => aBooking(host, guest, 31), /^The booked time is over$/],
    ['cancelled', () => aBooking(host, guest, 0, { status: 'cancelled' }), /^The booking was cancelled$/],
  ])('refuses (409) a booking whose call is %s, making no call', async (_, made, message) => {
    booking = made();

    await expect(joinBookedCall.execute({ actor: guest, callId: booking.id, request: CARD })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
      message: expect.stringMatching(message),
    });

    expect(fakes.calls.rows.size).toBe(0);
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([]);
  });

  it('opens the call ten minutes before the booked start', async () => {
    booking = aBooking(host, guest, -(EARLY_JOIN_MINUTES - 1));

    const joined = await joinBookedCall.execute({ actor: host, callId: booking.id, request: {} });

    expect(joined.call.status).toBe('waiting');
  });

  it('refuses (409) to join a call that is already over', async () => {
    await joinBookedCall.execute({ actor: host, callId: booking.id, request: {} });
    Object.assign(fakes.calls.rows.get(booking.id)!, { status: 'missed' });

    await expect(joinBookedCall.execute({ actor: guest, callId: booking.id, request: CARD })).rejects.toMatchObject({ code: ErrorCode.Conflict });
    expect(fakes.bus.sent('billing.holds.place-first')).toEqual([]);
  });

  it('asks the guest for a card (400) and keeps out anyone not in the booking (403)', async () => {
    await expect(joinBookedCall.execute({ actor: guest, callId: booking.id, request: {} })).rejects.toMatchObject({ code: ErrorCode.ValidationError });
    await expect(joinBookedCall.execute({ actor: anActor('user'), callId: booking.id, request: CARD })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect(fakes.calls.rows.size).toBe(0);
  });
});
