import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CallDto } from '@vidivo/contracts';
import { CallRole, SignalingGrant, secondsSince } from '@vidivo/platform';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { CLOSE, errorMessage, serverMessage } from '../peers/signal-messages';
import { signalingRelayLatency } from '../signaling.metrics';
import { LostPeer, PeerPresence } from './peer-presence';
import { RoomBus, RoomSignal } from './room-bus';
import { SignalingSettings, signalingSettings } from '../signaling.settings';

/** Messages a peer sends before the other one is there wait, in order, up to this many (decision 20). */
export const QUEUE_LIMIT = 256;
/** Calls that ended lately, remembered so a peer whose call ends while it connects is not left in a room. */
const ENDED_CALLS_REMEMBERED = 10_000;

export interface Peer {
  grant: SignalingGrant;
  socket: WebSocket;
  /** This connection, so a reconnect (here or on another replica) can tell itself from the one it replaces. */
  conn: string;
  queue: string[];
}

interface Presence {
  conn: string;
  name: string;
}

/**
 * What this replica knows of one call: its own peers, peers connected to other replicas, and the
 * participants who dropped and may still come back (their resume grace running).
 */
interface Room {
  local: Map<CallRole, Peer>;
  remote: Map<CallRole, Presence>;
  absent: Map<CallRole, NodeJS.Timeout>;
}

const otherRole = (role: CallRole): CallRole => (role === 'host' ? 'guest' : 'host');

/**
 * Pairs the two peers of each call and relays between them, whether the other peer is on this
 * replica or another. Peers learn of each other with `peer_joined`; what a peer sends while alone
 * waits in its queue until the other arrives. A peer that says goodbye is `peer_left` at once; one
 * that drops is `peer_reconnecting`, and `peer_reconnected` if it is back (on any replica) within
 * SIGNAL_RESUME_SECONDS, `peer_left` if not (decision 29).
 */
@Injectable()
export class CallRooms implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly replica = randomUUID();
  private readonly rooms = new Map<string, Room>();
  private readonly ended = new Map<string, CallDto>();
  private readonly graceMs: number;
  /** Closing down: every connection that ends now is a drop, whatever its close code (its peer reconnects elsewhere). */
  private draining = false;

  constructor(
    private readonly bus: RoomBus,
    private readonly presence: PeerPresence,
    @Inject(signalingSettings.token) settings: SignalingSettings,
  ) {
    this.graceMs = settings.SIGNAL_RESUME_SECONDS * 1000;
  }

  onApplicationBootstrap(): void {
    this.presence.onLostPeer((peer) => this.remotePeerLost(peer));
  }

  /** Joins the peer to its call's room; null when the call ended meanwhile (the peer has been told and closed). */
  async connect(grant: SignalingGrant, socket: WebSocket): Promise<Peer | null> {
    // randomUUID, not ulid: a connection id needs no order, and ulid's per-character randomness showed in connect profiles.
    const peer: Peer = { grant, socket, conn: randomUUID(), queue: [] };
    const room = await this.roomFor(grant.call_id);
    const endedCall = this.ended.get(grant.call_id);
    if (endedCall) {
      socket.send(serverMessage('call_ended', { call: endedCall }));
      socket.close(CLOSE.callEnded, 'The call has ended');
      this.forgetIfEmpty(grant.call_id, room);
      return null;
    }
    const replaced = room.local.get(grant.call_role);
    room.local.set(grant.call_role, peer);
    if (replaced) replaced.socket.close(CLOSE.replaced, 'Replaced by a newer connection');
    this.publish({ kind: 'joined', call_id: grant.call_id, replica: this.replica, role: grant.call_role, conn: peer.conn, name: grant.display_name });
    this.presence.connected(grant, peer.conn, this.replica);

    const other = otherRole(grant.call_role);
    const returning = this.endAbsence(room, grant.call_role);
    const localOther = room.local.get(other);
    if (localOther) {
      this.introduce(peer, localOther.grant.display_name, other);
      if (returning) this.welcomeBack(localOther, grant.call_role);
      else this.introduce(localOther, grant.display_name, grant.call_role);
    } else {
      const remoteOther = room.remote.get(other);
      if (remoteOther) this.introduce(peer, remoteOther.name, other);
    }
    return peer;
  }

  /**
   * A relayed message from a peer: to the other peer now, or into the queue until it comes.
   * `receivedAt` (a performance.now() reading) times the relay when both peers are here.
   */
  relay(peer: Peer, raw: string, receivedAt?: number): void {
    const room = this.rooms.get(peer.grant.call_id);
    if (!room || room.local.get(peer.grant.call_role) !== peer) return;
    const other = otherRole(peer.grant.call_role);
    const localOther = room.local.get(other);
    if (localOther) {
      localOther.socket.send(raw);
      if (receivedAt !== undefined) signalingRelayLatency.observe({ path: 'local' }, secondsSince(receivedAt));
      return;
    }
    if (room.remote.has(other)) {
      return this.publish({ kind: 'relay', call_id: peer.grant.call_id, replica: this.replica, to: other, data: raw, sent_at: Date.now() });
    }
    if (peer.queue.length >= QUEUE_LIMIT) return void peer.socket.send(errorMessage('queue_full', 'The other participant is not connected and too many messages are waiting'));
    peer.queue.push(raw);
  }

  /** `goodbye`: the peer left on purpose (a `leave` frame, or a close with 1000 or 1001 from its side). */
  disconnected(peer: Peer, goodbye: boolean): void {
    const room = this.rooms.get(peer.grant.call_id);
    if (!room || room.local.get(peer.grant.call_role) !== peer) return; // replaced: the newer connection stays
    const left = goodbye && !this.draining;
    room.local.delete(peer.grant.call_role);
    this.publish({ kind: 'left', call_id: peer.grant.call_id, replica: this.replica, role: peer.grant.call_role, conn: peer.conn, goodbye: left });
    this.presence.disconnected(peer.grant, peer.conn, left);
    this.lose(room, peer.grant.call_role, left, Date.now());
    this.forgetIfEmpty(peer.grant.call_id, room);
  }

  /**
   * Shutting down: the connections closed from now on are drops, so their peers get the grace to
   * reconnect elsewhere (the WebSocket adapter closes them after this hook).
   */
  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  /** The call is over: both peers hear it and are closed (decision 20). */
  callEnded(call: CallDto): void {
    this.ended.set(call.id, call);
    if (this.ended.size > ENDED_CALLS_REMEMBERED) this.ended.delete(this.ended.keys().next().value!);
    const room = this.rooms.get(call.id);
    if (!room) return;
    this.rooms.delete(call.id);
    this.bus.leave(call.id);
    for (const timer of room.absent.values()) clearTimeout(timer);
    for (const peer of room.local.values()) {
      peer.socket.send(serverMessage('call_ended', { call }));
      peer.socket.close(CLOSE.callEnded, 'The call has ended');
    }
  }

  /** The platform will end the call soon (decision 28): both peers are warned. */
  callEnding(callId: string, warning: { reason: string; at: string }): void {
    for (const peer of this.rooms.get(callId)?.local.values() ?? []) peer.socket.send(serverMessage('call_ending', warning));
  }

  /** Peers connected on this replica. */
  get size(): number {
    let peers = 0;
    for (const room of this.rooms.values()) peers += room.local.size;
    return peers;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const room of this.rooms.values()) for (const timer of room.absent.values()) clearTimeout(timer);
    await this.bus.close();
  }

  private async roomFor(callId: string): Promise<Room> {
    let room = this.rooms.get(callId);
    if (!room) {
      room = { local: new Map(), remote: new Map(), absent: new Map() };
      this.rooms.set(callId, room);
      await this.bus.join(callId, (signal) => this.onSignal(signal));
    }
    return room;
  }

  private onSignal(signal: RoomSignal): void {
    if (signal.replica === this.replica) return;
    const room = this.rooms.get(signal.call_id);
    if (!room) return;
    switch (signal.kind) {
      case 'joined':
      case 'here': {
        const local = room.local.get(signal.role);
        // The same participant connected elsewhere: the newer connection wins (decision 20).
        if (signal.kind === 'joined' && local && local.conn !== signal.conn) {
          room.local.delete(signal.role);
          local.socket.close(CLOSE.replaced, 'Replaced by a newer connection');
        }
        const known = room.remote.get(signal.role);
        room.remote.set(signal.role, { conn: signal.conn, name: signal.name });
        const other = room.local.get(otherRole(signal.role));
        if (!other) return;
        // `here` goes first: the newcomer's replica sends its peer_joined on it, and that must come
        // before what `other` queued, which introduce() relays over the same channel.
        if (signal.kind === 'joined') {
          this.publish({ kind: 'here', call_id: signal.call_id, replica: this.replica, role: other.grant.call_role, conn: other.conn, name: other.grant.display_name });
        }
        if (known?.conn === signal.conn) return;
        if (this.endAbsence(room, signal.role)) this.welcomeBack(other, signal.role);
        else this.introduce(other, signal.name, signal.role);
        return;
      }
      case 'left': {
        if (room.remote.get(signal.role)?.conn !== signal.conn) return;
        room.remote.delete(signal.role);
        this.lose(room, signal.role, signal.goodbye ?? false, Date.now());
        return;
      }
      case 'relay': {
        const target = room.local.get(signal.to);
        if (!target) return;
        target.socket.send(signal.data);
        if (signal.sent_at !== undefined) signalingRelayLatency.observe({ path: 'remote' }, Math.max(0, Date.now() - signal.sent_at) / 1000);
        return;
      }
    }
  }

  /**
   * `role` is gone from the room: its peer hears `peer_left` at once after a goodbye, otherwise
   * `peer_reconnecting`, and `peer_left` only if nobody of that role is back when the grace
   * (counted from `since`) runs out.
   */
  private lose(room: Room, role: CallRole, goodbye: boolean, since: number): void {
    const other = room.local.get(otherRole(role));
    if (!other) return;
    if (goodbye) return void other.socket.send(serverMessage('peer_left', { role }));
    if (room.absent.has(role)) return;
    other.socket.send(serverMessage('peer_reconnecting', { role }));
    const timer = setTimeout(
      () => {
        room.absent.delete(role);
        if (room.local.has(role) || room.remote.has(role)) return;
        room.local.get(otherRole(role))?.socket.send(serverMessage('peer_left', { role }));
      },
      Math.max(0, this.graceMs - (Date.now() - since)),
    );
    room.absent.set(role, timer);
  }

  /** True when `role` was within its resume grace: it is back. */
  private endAbsence(room: Room, role: CallRole): boolean {
    const timer = room.absent.get(role);
    if (!timer) return false;
    clearTimeout(timer);
    room.absent.delete(role);
    return true;
  }

  /** The participant `role` is back within the grace: its peer hears so, and what it said meanwhile goes over. */
  private welcomeBack(peer: Peer, role: CallRole): void {
    peer.socket.send(serverMessage('peer_reconnected', { role }));
    const waiting = peer.queue.splice(0);
    for (const raw of waiting) this.relay(peer, raw);
  }

  /** A peer on another replica that died: a drop, counted from the last time its replica refreshed it. */
  private remotePeerLost(lost: LostPeer): void {
    const room = this.rooms.get(lost.callId);
    if (room?.remote.get(lost.role)?.conn !== lost.conn) return;
    room.remote.delete(lost.role);
    this.lose(room, lost.role, false, lost.since);
  }

  /** Tells `peer` the other participant is there, then sends what `peer` said while alone. */
  private introduce(peer: Peer, name: string, role: CallRole): void {
    peer.socket.send(serverMessage('peer_joined', { role, display_name: name }));
    const waiting = peer.queue.splice(0);
    for (const raw of waiting) this.relay(peer, raw);
  }

  private publish(signal: RoomSignal): void {
    this.bus.publish(signal);
  }

  private forgetIfEmpty(callId: string, room: Room): void {
    if (room.local.size > 0) return;
    this.rooms.delete(callId);
    this.bus.leave(callId);
  }
}
