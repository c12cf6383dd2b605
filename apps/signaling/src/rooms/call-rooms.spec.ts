import { CallDto } from '@vidivo/contracts';
import { SignalingGrant } from '@vidivo/platform';
import { WebSocket } from 'ws';
import { InProcessRoomBus, RoomSignal } from './room-bus';
import { callRoomsOn } from '../testing/call-rooms.factory';

/** A room bus whose join takes as long as the test says, like a NATS subscribe-and-flush. */
class SlowRoomBus extends InProcessRoomBus {
  release!: () => void;

  override async join(callId: string, onSignal: (signal: RoomSignal) => void): Promise<void> {
    await new Promise<void>((resolve) => (this.release = resolve));
    return super.join(callId, onSignal);
  }
}

function fakeSocket() {
  const sent: string[] = [];
  const socket = { sent, closedWith: null as number | null, send: (text: string) => sent.push(text), close: (code: number) => (socket.closedWith = code) };
  return socket;
}

const grant = (role: 'host' | 'guest'): SignalingGrant => ({ call_id: 'C'.repeat(26), participant_id: role.padEnd(26, 'x'), call_role: role, display_name: role });
const endedCall = { id: 'C'.repeat(26), status: 'completed' } as CallDto;

describe('CallRooms', () => {
  it('tells a peer whose call ends while it joins, instead of leaving it in a room', async () => {
    const bus = new SlowRoomBus();
    const rooms = callRoomsOn(bus);
    const socket = fakeSocket();
    const joining = rooms.connect(grant('guest'), socket as unknown as WebSocket);
    rooms.callEnded(endedCall);
    bus.release();
    expect(await joining).toBeNull();
    expect(socket.sent.map((text) => JSON.parse(text).type)).toEqual(['call_ended']);
    expect(socket.closedWith).toBe(4001);
    expect(rooms.size).toBe(0);
  });

  it('refuses peers of a call that has already ended', async () => {
    const rooms = callRoomsOn(new InProcessRoomBus());
    rooms.callEnded(endedCall);
    const socket = fakeSocket();
    expect(await rooms.connect(grant('host'), socket as unknown as WebSocket)).toBeNull();
    expect(socket.closedWith).toBe(4001);
  });
});
