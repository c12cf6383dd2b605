import { SignalingGrant, metricsRegistry } from '@vidivo/platform';
import type { MetricValueWithName } from 'prom-client';
import type { WebSocket } from 'ws';
import { RoomBus, RoomSignal } from './rooms/room-bus';
import { callRoomsOn } from './testing/call-rooms.factory';

/** Two replicas' channels: what one publishes reaches the listeners of every replica, as over NATS. */
class SharedRoomBus {
  private readonly listeners: Array<{ callId: string; onSignal: (signal: RoomSignal) => void }> = [];

  replica(): RoomBus {
    const { listeners } = this;
    return new (class extends RoomBus {
      async join(callId: string, onSignal: (signal: RoomSignal) => void) {
        listeners.push({ callId, onSignal });
      }
      leave() {}
      publish(signal: RoomSignal) {
        for (const listener of listeners) if (listener.callId === signal.call_id) listener.onSignal(JSON.parse(JSON.stringify(signal)));
      }
      async close() {}
    })();
  }
}

class FakeSocket {
  readonly sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {}
}
const socket = () => new FakeSocket() as unknown as WebSocket & FakeSocket;
const grant = (call_id: string, call_role: 'host' | 'guest'): SignalingGrant => ({ call_id, participant_id: `${call_role}-1`, call_role, display_name: call_role });

async function relaySamples(path: 'local' | 'remote'): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((entry) => entry.name === 'signaling_relay_latency_seconds');
  const values = (metric?.values ?? []) as Array<MetricValueWithName<string>>;
  return values.find((value) => value.metricName === 'signaling_relay_latency_seconds_count' && value.labels.path === path)?.value ?? 0;
}

describe('signaling relay latency', () => {
  const OFFER = '{"type":"offer","payload":{"sdp":"v=0"}}';

  it('times a frame relayed between two peers of this replica, from its receipt', async () => {
    const rooms = callRoomsOn(new SharedRoomBus().replica());
    const guestSocket = socket();
    const hostSocket = socket();
    const guest = (await rooms.connect(grant('call-local', 'guest'), guestSocket))!;
    await rooms.connect(grant('call-local', 'host'), hostSocket);
    const before = await relaySamples('local');

    rooms.relay(guest, OFFER, performance.now());

    expect(hostSocket.sent).toContain(OFFER);
    expect(await relaySamples('local')).toBe(before + 1);
  });

  it('times a frame relayed through another replica, from its publish to its delivery', async () => {
    const bus = new SharedRoomBus();
    const first = callRoomsOn(bus.replica());
    const second = callRoomsOn(bus.replica());
    const guestSocket = socket();
    const hostSocket = socket();
    const guest = (await first.connect(grant('call-remote', 'guest'), guestSocket))!;
    await second.connect(grant('call-remote', 'host'), hostSocket);
    const before = await relaySamples('remote');

    first.relay(guest, OFFER, performance.now());

    expect(hostSocket.sent).toContain(OFFER);
    expect(await relaySamples('remote')).toBe(before + 1);
  });

  it('does not time a frame that waited for the other peer (that is queueing, not relaying)', async () => {
    const rooms = callRoomsOn(new SharedRoomBus().replica());
    const guest = (await rooms.connect(grant('call-queued', 'guest'), socket()))!;
    rooms.relay(guest, OFFER, performance.now());
    const before = await relaySamples('local');

    const hostSocket = socket();
    await rooms.connect(grant('call-queued', 'host'), hostSocket);

    expect(hostSocket.sent).toContain(OFFER);
    expect(await relaySamples('local')).toBe(before);
  });
});
