import { BookingDto, LinkClaimDto } from '@vidivo/contracts';
import { parseCents } from '@vidivo/money';
import { CallEntity } from './call.entity';

/** Who is calling, as join found or made them (decision 8). */
export interface CallGuest {
  id: string;
  displayName: string;
}

/** What differs between a call from a link and a booked call; everything else starts the same. */
type CallOrigin = Pick<
  CallEntity,
  'id' | 'linkId' | 'shortCode' | 'bookingId' | 'hostId' | 'hostName' | 'guestId' | 'guestName' | 'rateCents' | 'windowSizeMinutes' | 'expectedAt' | 'guestJoinedAt'
>;

/** The one place a call row is made: waiting for its host, not started, ended or charged. */
function newCall(origin: CallOrigin, now: Date): CallEntity {
  return Object.assign(new CallEntity(), {
    ...origin,
    status: 'waiting',
    createdAt: now,
    hostJoinedAt: null,
    startedAt: null,
    endedAt: null,
    endReason: null,
    durationSeconds: 0,
    billedMinutes: 0,
    totalChargedCents: 0,
  } satisfies Omit<CallEntity, keyof CallOrigin>);
}

/** A guest's call on a link: the guest is in, and the host is expected from now on (decision 13). */
export function callFromLink(id: string, link: LinkClaimDto, hostName: string, guest: CallGuest, now: Date): CallEntity {
  return newCall(
    {
      id,
      linkId: link.link_id,
      shortCode: link.short_code,
      bookingId: null,
      hostId: link.host_id,
      hostName,
      guestId: guest.id,
      guestName: guest.displayName,
      rateCents: parseCents(link.rate_per_minute)!,
      windowSizeMinutes: link.window_size_minutes,
      expectedAt: now,
      guestJoinedAt: now,
    },
    now,
  );
}

/** A booking's call, id and all from the booking: nobody is in yet, and the host is expected at the booked start (decision 18). */
export function callFromBooking(booking: BookingDto, now: Date): CallEntity {
  return newCall(
    {
      id: booking.id,
      linkId: null,
      shortCode: null,
      bookingId: booking.id,
      hostId: booking.host.id,
      hostName: booking.host.display_name,
      guestId: booking.guest.id,
      guestName: booking.guest.display_name,
      rateCents: parseCents(booking.rate_per_minute)!,
      windowSizeMinutes: booking.window_size_minutes,
      expectedAt: new Date(Math.max(now.getTime(), Date.parse(booking.scheduled_at))),
      guestJoinedAt: null,
    },
    now,
  );
}
