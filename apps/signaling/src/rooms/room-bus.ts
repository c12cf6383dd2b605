import { CallRole } from '@vidivo/platform';

/**
 * What the replicas holding the two peers of one call tell each other. Every replica with a peer
 * of the call listens on the call's channel; a replica ignores what it sent itself.
 */
export type RoomSignal =
  | { kind: 'joined' | 'here'; call_id: string; replica: string; role: CallRole; conn: string; name: string }
  /** `goodbye`: the peer left on purpose; otherwise it dropped and may come back (decision 29). */
  | { kind: 'left'; call_id: string; replica: string; role: CallRole; conn: string; goodbye?: boolean }
  /** `sent_at`: the publishing replica's clock (epoch ms), for the relay latency metric. */
  | { kind: 'relay'; call_id: string; replica: string; to: CallRole; data: string; sent_at?: number };

export abstract class RoomBus {
  /** Starts hearing a call's channel; resolves once signals published after it will arrive. */
  abstract join(callId: string, onSignal: (signal: RoomSignal) => void): Promise<void>;
  abstract leave(callId: string): void;
  abstract publish(signal: RoomSignal): void;
  abstract close(): Promise<void>;
}

/** One process: every peer is local, so the channel only has to exist. */
export class InProcessRoomBus extends RoomBus {
  private readonly listeners = new Map<string, (signal: RoomSignal) => void>();

  join(callId: string, onSignal: (signal: RoomSignal) => void): Promise<void> {
    this.listeners.set(callId, onSignal);
    return Promise.resolve();
  }

  leave(callId: string): void {
    this.listeners.delete(callId);
  }

  publish(signal: RoomSignal): void {
    this.listeners.get(signal.call_id)?.(signal);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
