import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainEvent, EVENT_VERSION, PeerPresencePayload, toIsoSeconds } from '@vidivo/contracts';
import { CallRole, EventTransport, Presence, PresenceRecord, SignalingGrant, peerPresenceKey } from '@vidivo/platform';
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

/** A peer whose replica died: its presence was not refreshed since `since` (epoch ms). */
export interface LostPeer {
  callId: string;
  role: CallRole;
  conn: string;
  since: number;
}

const PEER_KEY = /^peer\.([0-9A-HJKMNP-TV-Z]{26})\.(guest|host)$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The peers of calls as the rest of the platform learns of them (decisions 28, 29): an entry in
 * presence while connected, and `signaling.peer.connected` / `.disconnected` events for calls,
 * which ends calls abandoned by a participant. A peer whose replica died is reported by every
 * replica that notices, under one event id, so calls hears it once.
 */
@Injectable()
export class PeerPresence implements OnApplicationBootstrap {
  private readonly logger = new Logger('signal-presence');
  private readonly lostListeners: Array<(peer: LostPeer) => void> = [];

  constructor(
    private readonly presence: Presence,
    private readonly events: EventTransport,
  ) {}

  onApplicationBootstrap(): void {
    this.presence.onLost((record) => this.lost(record));
  }

  connected(grant: SignalingGrant, conn: string, replica: string): void {
    this.presence.announce(peerPresenceKey(grant.call_id, grant.call_role), { conn, replica, name: grant.display_name });
    this.publish('signaling.peer.connected', { call_id: grant.call_id, role: grant.call_role, conn, at: toIsoSeconds(new Date()) });
  }

  disconnected(grant: SignalingGrant, conn: string, goodbye: boolean): void {
    const key = peerPresenceKey(grant.call_id, grant.call_role);
    // A newer connection of the participant (here or elsewhere) owns the entry now: leave it.
    if (this.presence.list(key).every((record) => record.key !== key || record.value.conn === conn)) this.presence.withdraw(key);
    this.publish('signaling.peer.disconnected', { call_id: grant.call_id, role: grant.call_role, conn, at: toIsoSeconds(new Date()), goodbye });
  }

  /** Hears of peers lost with their replica. */
  onLostPeer(listener: (peer: LostPeer) => void): void {
    this.lostListeners.push(listener);
  }

  private lost(record: PresenceRecord): void {
    const match = PEER_KEY.exec(record.key);
    const conn = record.value.conn;
    if (!match || typeof conn !== 'string') return;
    const peer: LostPeer = { callId: match[1], role: match[2] as CallRole, conn, since: record.refreshedAt };
    const payload: PeerPresencePayload = { call_id: peer.callId, role: peer.role, conn, at: toIsoSeconds(new Date(peer.since)) };
    this.publish('signaling.peer.disconnected', payload, eventIdOf(`lost:${record.key}:${conn}`));
    for (const listener of this.lostListeners) listener(peer);
  }

  private publish(subject: 'signaling.peer.connected' | 'signaling.peer.disconnected', payload: PeerPresencePayload, id = ulid()): void {
    const event: DomainEvent = { id, subject, version: EVENT_VERSION, occurred_at: toIsoSeconds(new Date()), payload };
    // Best effort: calls also ends a call whose participant never shows up again (decision 28).
    this.events.publish(event).catch((error) => this.logger.warn(`${subject} for call ${payload.call_id} not published: ${(error as Error).message}`));
  }
}

/** An event id in the shape of a ULID, the same wherever it is made from the same fact. */
function eventIdOf(fact: string): string {
  const digest = createHash('sha256').update(fact).digest();
  return Array.from({ length: 26 }, (_, i) => CROCKFORD[digest[i] % 32]).join('');
}
