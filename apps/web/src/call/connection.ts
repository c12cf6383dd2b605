import type { CallDto, SignalingAccess } from '@vidivo/contracts';

export type Role = 'guest' | 'host';

export interface ConnectionListener {
  remoteStream(stream: MediaStream | null): void;
  /** The other participant: not there yet, there, dropped and maybe coming back, or gone. */
  peer(state: 'waiting' | 'present' | 'reconnecting' | 'left'): void;
  /** Our own signaling connection. */
  socket(state: 'connecting' | 'open' | 'retrying'): void;
  media(state: RTCPeerConnectionState): void;
  callEnding(payload: { reason: string; at: string }): void;
  callEnded(call: CallDto | null): void;
  problem(message: string): void;
}

/** What arrives on /signal/ws (docs/api/signaling.md): the server's frames, and the other peer's relayed as it sent them. */
type SignalFrame =
  | { type: 'peer_joined' | 'peer_reconnected' | 'peer_reconnecting' | 'peer_left'; payload?: { role?: Role; display_name?: string } }
  | { type: 'offer' | 'answer'; payload: RTCSessionDescriptionInit }
  | { type: 'ice_candidate'; payload: RTCIceCandidateInit }
  | { type: 'call_ending'; payload: { reason: string; at: string } }
  | { type: 'call_ended'; payload?: { call?: CallDto } }
  | { type: 'error'; payload?: { code?: string; message?: string } };

/** A close code of ours for a page going away (a reload, say): not a goodbye, so the other side hears peer_reconnecting (decision 29). */
const PAGE_HIDDEN = 4100;
/** Closes that mean the call is over or this socket was replaced: do not reconnect. */
const FINAL_CLOSES = new Set([4000, 4001]);

/**
 * One participant's side of a call: an RTCPeerConnection negotiated over /signal/ws with perfect
 * negotiation (decision 20; the guest is impolite and offers on peer_joined, the host is polite),
 * reconnecting the socket with a fresh signaling token when it drops.
 */
export class CallConnection {
  private pc!: RTCPeerConnection;
  private socket: WebSocket | null = null;
  private stopped = false;
  private peerJoined = false;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private chain: Promise<void> = Promise.resolve();
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly polite: boolean;
  private readonly onPageHide = () => this.socket?.close(PAGE_HIDDEN, 'page hidden');

  constructor(
    role: Role,
    private readonly local: MediaStream | null,
    /** Signaling access: the first time what the join gave (`fresh` false), afterwards a new token. */
    private readonly access: (fresh: boolean) => Promise<SignalingAccess>,
    private readonly on: ConnectionListener,
  ) {
    this.polite = role === 'host';
  }

  start(): void {
    window.addEventListener('pagehide', this.onPageHide);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    window.removeEventListener('pagehide', this.onPageHide);
    this.socket?.close(1000, 'left');
    this.pc?.close();
  }

  private newPeerConnection(iceServers: RTCIceServer[]): void {
    this.pc?.close();
    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    if (this.local) for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    else {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
    }
    const remote = new MediaStream();
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? remote;
      if (!streams[0]) remote.addTrack(track);
      this.on.remoteStream(stream);
    };
    pc.onconnectionstatechange = () => this.pc === pc && this.on.media(pc.connectionState);
    // The first offer of each connection is the guest's, on peer_joined (no glare); only later
    // renegotiation, once this connection has been negotiated, goes through here (either side).
    let negotiated = false;
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable' && pc.remoteDescription) negotiated = true;
    };
    pc.onnegotiationneeded = () => {
      if (negotiated && this.peerJoined && this.pc === pc) this.offer().catch((e) => this.fail(e));
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && this.pc === pc) this.send('ice_candidate', candidate.toJSON());
    };
    this.on.remoteStream(null);
  }

  private iceServersOf(access: SignalingAccess): RTCIceServer[] {
    const turn = access.turn_credentials;
    return turn?.urls?.length ? [{ urls: turn.urls, username: turn.username, credential: turn.credential }] : [];
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.on.socket(this.attempts === 0 ? 'connecting' : 'retrying');
    let access: SignalingAccess;
    try {
      access = await this.access(this.attempts > 0);
    } catch (error) {
      if ((error as { status?: number }).status === 409) return this.on.callEnded(null);
      return this.retry();
    }
    if (this.stopped) return;
    if (!this.pc) this.newPeerConnection(this.iceServersOf(access));
    const url = new URL(access.signaling_url);
    url.searchParams.set('token', access.signaling_token);
    const socket = new WebSocket(url.toString());
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.on.socket('open');
    };
    socket.onmessage = ({ data }) => {
      this.chain = this.chain.then(() => this.handle(JSON.parse(String(data)) as SignalFrame, access)).catch((e) => this.fail(e));
    };
    socket.onclose = ({ code }) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped || FINAL_CLOSES.has(code)) return;
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    this.attempts += 1;
    this.on.socket('retrying');
    const delay = Math.min(1000 * 2 ** Math.min(this.attempts - 1, 3), 8000);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private send(type: string, payload: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type, payload }));
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.send('offer', this.pc.localDescription);
    } finally {
      this.makingOffer = false;
    }
  }

  private async handle(message: SignalFrame, access: SignalingAccess): Promise<void> {
    if (message.type !== 'ice_candidate') console.debug(`signaling: ${message.type}`);
    switch (message.type) {
      case 'peer_joined':
      case 'peer_reconnected': {
        // The other side may have come back with a new RTCPeerConnection (a reload): start ours afresh.
        if (this.pc.remoteDescription || this.pc.signalingState !== 'stable') this.newPeerConnection(this.iceServersOf(access));
        this.peerJoined = true;
        this.on.peer('present');
        if (!this.polite) await this.offer();
        return;
      }
      case 'peer_reconnecting':
        this.on.peer('reconnecting');
        return;
      case 'peer_left':
        this.peerJoined = false;
        this.on.peer('left');
        return;
      case 'offer':
      case 'answer':
        return this.onDescription(message.payload);
      case 'ice_candidate':
        try {
          await this.pc.addIceCandidate(message.payload);
        } catch (error) {
          if (!this.ignoreOffer) throw error;
        }
        return;
      case 'call_ending':
        this.on.callEnding(message.payload);
        return;
      case 'call_ended':
        this.on.callEnded(message.payload?.call ?? null);
        return;
      case 'error':
        if (message.payload?.code === 'unauthorized') this.socket?.close(); // a fresh token on the retry
        return;
    }
  }

  private async onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.pc;
    const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.settingRemoteAnswer);
    const collision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return; // a stale answer to an offer of a closed connection
    this.settingRemoteAnswer = description.type === 'answer';
    await pc.setRemoteDescription(description);
    this.settingRemoteAnswer = false;
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      this.send('answer', pc.localDescription);
    }
  }

  private fail(error: unknown): void {
    console.warn('call connection:', error);
    this.on.problem('The video connection had a problem. If the picture stays frozen, reload the page.');
  }
}
