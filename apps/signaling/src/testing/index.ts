// What tests of signaling from outside the app use (the `@vidivo/app-signaling/testing` entry):
// a WebSocket peer, rooms wired by hand, and the internals those tests look at.
export { SignalClient } from './signal-client';
export { callRoomsOn } from './call-rooms.factory';
export { PeerSockets } from '../peers/peer-sockets';
export { CLOSE } from '../peers/signal-messages';
export { QUEUE_LIMIT } from '../rooms/call-rooms';
export { InProcessRoomBus, type RoomSignal } from '../rooms/room-bus';
