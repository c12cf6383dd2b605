import { Actor } from '@vidivo/contracts';

/** The host picks up a call. Built by the handler from a `calls.host-join` message, which was validated on arrival. */
export interface HostJoinCallCommand {
  actor: Actor;
  callId: string;
}
