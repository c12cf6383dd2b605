import { Actor, JoinCallRequest } from '@vidivo/contracts';

/** A guest starts a call from a link. Built by the handler from a `calls.join` message, which was validated on arrival. */
export interface JoinCallCommand {
  /** Absent for an anonymous caller, who becomes a guest account (decision 8). */
  actor?: Actor;
  shortCode: string;
  request: JoinCallRequest;
  /** The caller's idempotency key, digested by the gateway (decision 32). */
  joinKey?: string;
}
