import { Actor, EndCallRequest } from '@vidivo/contracts';

/** A participant ends (or the host declines) a call. Built by the handler from a `calls.end` message, which was validated on arrival. */
export interface EndCallCommand {
  actor: Actor;
  callId: string;
  request: EndCallRequest;
}
