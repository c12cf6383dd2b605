import { InMemoryPresence, InProcessEvents, parseSettings } from '@vidivo/platform';
import { CallRooms } from '../rooms/call-rooms';
import { PeerPresence } from '../rooms/peer-presence';
import { RoomBus } from '../rooms/room-bus';
import { signalingSettings } from '../signaling.settings';

/** Rooms on `bus` as one replica has them, with in-memory presence and in-process events (for specs). */
export function callRoomsOn(bus: RoomBus, env: Record<string, string> = {}): CallRooms {
  return new CallRooms(bus, new PeerPresence(new InMemoryPresence(), new InProcessEvents()), parseSettings(signalingSettings, env));
}
