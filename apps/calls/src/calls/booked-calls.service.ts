import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isOver } from '@vidivo/call-state';
import { Actor, BookingDto, JoinBookedCallRequest, JoinCallResponse, ULID_PATTERN, toIsoSeconds } from '@vidivo/contracts';
import { parseCents } from '@vidivo/money';
import { AppError, CallRole, MessageBus, Outbox } from '@vidivo/platform';
import { DataSource, Repository } from 'typeorm';
import { CallAccess } from '../access/call-access';
import { CALLS_SCHEMA } from '../calls.schema';
import { CallEntity } from './call.entity';
import { toCallDto, toCallSnapshot } from './call.mapper';
import { CallTransitions } from './call-transitions';
import { FirstHolds } from './first-holds';

/** A booked call opens this long before its start (decision 18). */
export const EARLY_JOIN_MINUTES = 10;

/**
 * Joining a booked call (decision 18): the booking id is the call id; the first participant in
 * creates the call, the guest's join places the hold, and the call is active once both are in.
 */
@Injectable()
export class BookedCallsService {
  constructor(
    @InjectRepository(CallEntity, CALLS_SCHEMA) private readonly calls: Repository<CallEntity>,
    @InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly bus: MessageBus,
    private readonly access: CallAccess,
    private readonly transitions: CallTransitions,
    private readonly firstHolds: FirstHolds,
  ) {}

  async join(actor: Actor, callId: string, request: JoinBookedCallRequest): Promise<JoinCallResponse> {
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
      call = await this.calls.findOneByOrFail({ id: call.id });
    }
    return { call: toCallDto(call), ...this.access.grant(call, role) };
  }

  /** The call of a booking, created by whoever comes first (concurrent first joins create one). */
  private async callFor(booking: BookingDto): Promise<CallEntity> {
    await this.dataSource.transaction(async (transaction) => {
      const now = new Date();
      const call = this.calls.create({
        id: booking.id,
        status: 'waiting',
        linkId: null,
        shortCode: null,
        bookingId: booking.id,
        hostId: booking.host.id,
        hostName: booking.host.display_name,
        guestId: booking.guest.id,
        guestName: booking.guest.display_name,
        rateCents: parseCents(booking.rate_per_minute)!,
        windowSizeMinutes: booking.window_size_minutes,
        createdAt: now,
        expectedAt: new Date(Math.max(now.getTime(), Date.parse(booking.scheduled_at))),
        hostJoinedAt: null,
        guestJoinedAt: null,
        startedAt: null,
        endedAt: null,
        endReason: null,
        durationSeconds: 0,
        billedMinutes: 0,
        totalChargedCents: 0,
      });
      const inserted = await transaction.createQueryBuilder().insert().into(CallEntity).values(call).orIgnore().returning(['id']).execute();
      if ((inserted.raw as { id: string }[]).length > 0) await this.outbox.add(transaction, 'calls.call.created', { call: toCallSnapshot(call) });
    });
    return this.calls.findOneByOrFail({ id: booking.id });
  }

  private async markJoined(callId: string, role: CallRole, booking: BookingDto): Promise<CallEntity> {
    if (role === 'host') {
      // The host is in, so the sweep for hosts who never came must not end the call while the guest may still join (decision 18).
      const bookedEnd = new Date(Date.parse(booking.scheduled_at) + booking.duration_minutes * 60_000);
      await this.dataSource.query(`UPDATE calls.calls SET host_joined_at = COALESCE(host_joined_at, now()), expected_at = GREATEST(expected_at, $2) WHERE id = $1`, [
        callId,
        bookedEnd,
      ]);
    } else {
      await this.dataSource.query(`UPDATE calls.calls SET guest_joined_at = COALESCE(guest_joined_at, now()) WHERE id = $1`, [callId]);
    }
    return this.calls.findOneByOrFail({ id: callId });
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
