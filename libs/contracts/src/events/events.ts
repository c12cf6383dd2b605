import { CallDto } from '../calls';
import { BookingDto } from '../scheduling';

/**
 * A call as its events carry it: the public call object plus what other domains need to act on
 * it without asking back (the link it used).
 */
export interface CallSnapshot extends CallDto {
  link_id: string | null;
}

/** The call as clients may see it: the snapshot without what only other domains need. */
export function publicCall({ link_id: _linkId, ...call }: CallSnapshot): CallDto {
  return call;
}

export interface CallEventPayload {
  call: CallSnapshot;
}

export interface BookingEventPayload {
  booking: BookingDto;
}

export interface BillingCallPayload {
  call_id: string;
  reason: string;
}

/** A participant's call is about to be ended by the platform (decision 28): signaling warns both peers. */
export interface CallEndingPayload {
  call_id: string;
  reason: 'max_duration';
  /** When the call will end, ISO seconds. */
  at: string;
}

/**
 * A participant's signaling connection to a call opened or went (decision 28). `at` is when it
 * happened (ISO seconds); `goodbye` says the peer left on purpose rather than dropped.
 */
export interface PeerPresencePayload {
  call_id: string;
  role: 'guest' | 'host';
  /** The connection, so a late event about an older connection can be told apart. */
  conn: string;
  at: string;
  goodbye?: boolean;
}

/** A guest disputed a captured charge with their bank (decision 26). */
export interface DisputePayload {
  call_id: string;
  payment_intent_id: string;
  dispute_id: string;
  amount: string;
  reason: string;
}

export interface SettlementPayload {
  call_id: string;
  captured: string;
  cancelled_holds: number;
}

/**
 * Domain events: facts in the past tense, delivered at least once (decision: outbox + JetStream).
 * The payload types are version 1; a breaking change gets a new subject or a new version.
 */
export interface EventMap {
  'calls.call.created': CallEventPayload;
  'calls.call.ringing': CallEventPayload;
  'calls.call.started': CallEventPayload;
  /** completed, missed or failed; carries the billed amounts. */
  'calls.call.ended': CallEventPayload;
  /** The platform will end an active call soon (its length cap). */
  'calls.call.ending': CallEndingPayload;
  /** A hold for the next window could not be placed: the call must end (decision 11). */
  'billing.payment.failed': BillingCallPayload;
  'billing.settlement.completed': SettlementPayload;
  /** The capture failed for good: the call is failed (decision 11). */
  'billing.settlement.failed': BillingCallPayload;
  'billing.dispute.created': DisputePayload;
  'signaling.peer.connected': PeerPresencePayload;
  'signaling.peer.disconnected': PeerPresencePayload;
  'scheduling.booking.created': BookingEventPayload;
  'scheduling.booking.cancelled': BookingEventPayload;
}

export type EventSubject = keyof EventMap;
export const EVENT_VERSION = 1;

export interface DomainEvent<S extends EventSubject = EventSubject> {
  /** A ULID; consumers de-duplicate by it. */
  id: string;
  subject: S;
  version: number;
  occurred_at: string;
  payload: EventMap[S];
}

/** The subjects the durable event stream keeps; request/reply subjects never match them. */
export const EVENT_STREAM_SUBJECTS = ['calls.call.>', 'billing.payment.>', 'billing.settlement.>', 'billing.dispute.>', 'scheduling.booking.>', 'signaling.peer.>'];
