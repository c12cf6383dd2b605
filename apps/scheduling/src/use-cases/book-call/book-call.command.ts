import { Actor, BookRequest } from '@vidivo/contracts';

/** A guest asks for a span of a host's time; the request was validated on arrival. */
export interface BookCallCommand {
  actor: Actor;
  request: BookRequest;
}
