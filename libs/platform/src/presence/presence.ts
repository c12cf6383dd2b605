/** One entry of presence: who is connected where, as its owner last said. */
export interface PresenceRecord {
  key: string;
  value: Record<string, unknown>;
  /** When its owner last refreshed it (epoch ms). */
  refreshedAt: number;
}

/**
 * Who is connected to what (decision 29): entries that live while the process that announced
 * them keeps refreshing them. An entry withdrawn is gone at once; an entry whose process died
 * fades out on its own, and every process hears of it through {@link onLost}. Keys are dotted
 * (`peer.<call>.<role>`, `host.<host>.<connection>`), so a prefix lists a group.
 */
export abstract class Presence {
  /** Publishes an entry and keeps it fresh until it is withdrawn or this process ends. */
  abstract announce(key: string, value: Record<string, unknown>): void;
  abstract withdraw(key: string): void;
  /** The live entries under a prefix, e.g. `host.01JN….`. */
  abstract list(prefix: string): PresenceRecord[];
  /** Hears of entries that stopped being refreshed without being withdrawn: their process died. */
  abstract onLost(listener: (record: PresenceRecord) => void): void;
  abstract close(): Promise<void>;
}

/** One process (standalone): nothing can die apart from the rest, so nothing is ever lost. */
export class InMemoryPresence extends Presence {
  private readonly entries = new Map<string, PresenceRecord>();

  announce(key: string, value: Record<string, unknown>): void {
    this.entries.set(key, { key, value, refreshedAt: Date.now() });
  }

  withdraw(key: string): void {
    this.entries.delete(key);
  }

  list(prefix: string): PresenceRecord[] {
    return [...this.entries.values()].filter((record) => record.key.startsWith(prefix));
  }

  onLost(): void {
    // Nothing is lost inside one process.
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}

/** The keys of presence, in one place: what signaling writes and others read. */
export const peerPresenceKey = (callId: string, role: string) => `peer.${callId}.${role}`;
export const hostPresencePrefix = (hostId: string) => `host.${hostId}.`;
export const hostPresenceKey = (hostId: string, connection: string) => `${hostPresencePrefix(hostId)}${connection}`;
