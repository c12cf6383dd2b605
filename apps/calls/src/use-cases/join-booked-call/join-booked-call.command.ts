import { Actor, JoinBookedCallRequest } from '@vidivo/contracts';

/** A participant of a booking joins its call. Built by the handler from a `calls.join-booked` message, which was validated on arrival. */
export interface JoinBookedCallCommand {
  actor: Actor;
  /** The booking's id, which is also its call's. */
  callId: string;
  request: JoinBookedCallRequest;
}
