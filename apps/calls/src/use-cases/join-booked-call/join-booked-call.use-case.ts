import { Injectable } from '@nestjs/common';
import { isOver } from '@vidivo/call-state';
import { BookingDto, JoinCallResponse, ULID_PATTERN, toIsoSeconds } from '@vidivo/contracts';
import { AppError, CallRole, MessageBus, Outbox } from '@vidivo/platform';
import { CallAccess } from '../../access/call-access';
import { CallEntity } from '../../calls/call.entity';
import { callFromBooking } from '../../calls/call.factory';
import { toCallDto, toCallSnapshot } from '../../calls/call.mapper';
import { CallTransitions } from '../../calls/call-transitions';
import { CallsRepository } from '../../calls/calls.repository';
import { FirstHolds } from '../../calls/first-holds';
import { JoinBookedCallCommand } from './join-booked-call.command';

/** A booked call opens this long before its start (decision 18). */
export const EARLY_JOIN_MINUTES = 10;

/**
 * Joining a booked call (decision 18): the booking id is the call id; the first participant in
 * creates the call, the guest's join places the hold, and the call is active once both are in.
 */
@Injectable()
export class JoinBookedCallUseCase {
  constructor(
    private readonly calls: CallsRepository,
    private readonly transitions: CallTransitions,
    private readonly firstHolds: FirstHolds,
    private readonly bus: MessageBus,
    private readonly outbox: Outbox,
    private readonly access: CallAccess,
  ) {}

  async execute({ actor, callId, request }: JoinBookedCallCommand): Promise<JoinCallResponse> {
    if (!ULID_PATTERN.test(callId)) throw AppError.notFound('Call');
    const booking = await this.bus.request('scheduling.booking', { booking_id: callId });
    const role: CallRole | null = actor.id === booking.host.id ? 'host' : actor.id === booking.guest.id ? 'guest' : null;
    if (!role) throw AppError.forbidden('Only the participants of this booking can join its call');
    checkJoinable(booking, new Date());
    if (role === 'guest' && !request.payment_method_id && !request.payment_intent_id) {
      throw AppError.validation('A card is needed', [{ field: 'payment_method_id', message: 'the guest joins with a payment method for the hold' }]);
    }

    let call = await this.callFor(booking);
    if (isOver(call.status)) throw AppError.conflict('The call has already ended');
    if (role === 'guest' && !call.guestJoinedAt) {
      const [contact] = await this.bus.request('identity.users.contacts', { user_ids: [call.guestId] });
      await this.firstHolds.place(call, request, contact?.email ?? null, { booking: booking.id }, `/bookings/${call.id}`);
    }
    call = await this.markJoined(call.id, role, booking);
    if (call.hostJoinedAt && call.guestJoinedAt && !call.startedAt) {
      await this.transitions.applyIfPossible(call.id, 'started', (_, now) => ({ startedAt: now }));
      call = await this.calls.byIdOrFail(call.id);
    }
    return { call: toCallDto(call), ...this.access.grant(call, role) };
  }

  /** The call of a booking, created by whoever comes first (concurrent first joins create one, announced once). */
  private async callFor(booking: BookingDto): Promise<CallEntity> {
    await this.calls.transaction(async (transaction) => {
      const call = callFromBooking(booking, new Date());
      if (await this.calls.insertIfAbsent(transaction, call)) await this.outbox.add(transaction, 'calls.call.created', { call: toCallSnapshot(call) });
    });
    return this.calls.byIdOrFail(booking.id);
  }

  private async markJoined(callId: string, role: CallRole, booking: BookingDto): Promise<CallEntity> {
    if (role === 'host') {
      // The host is in, so the sweep for hosts who never came must not end the call while the guest may still join (decision 18).
      await this.calls.markHostJoined(callId, new Date(Date.parse(booking.scheduled_at) + booking.duration_minutes * 60_000));
    } else {
      await this.calls.markGuestJoined(callId);
    }
    return this.calls.byIdOrFail(callId);
  }
}

/** Open from ten minutes before the booked start to its end; never once cancelled (decision 18). */
function checkJoinable(booking: BookingDto, now: Date): void {
  if (booking.status === 'cancelled') throw AppError.conflict('The booking was cancelled');
  const start = Date.parse(booking.scheduled_at);
  const opensAt = start - EARLY_JOIN_MINUTES * 60_000;
  if (now.getTime() < opensAt) throw AppError.conflict(`The call opens at ${toIsoSeconds(new Date(opensAt))}, ${EARLY_JOIN_MINUTES} minutes before its start`);
  if (now.getTime() >= start + booking.duration_minutes * 60_000) throw AppError.conflict('The booked time is over');
}
