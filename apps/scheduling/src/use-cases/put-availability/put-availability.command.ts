import { Actor, AvailabilityRequest } from '@vidivo/contracts';

/** A host publishes their availability; its shape was validated on arrival, its sense is checked by the use case. */
export interface PutAvailabilityCommand {
  actor: Actor;
  availability: AvailabilityRequest;
}
