import { HttpClient, Account, connectDatabase, eventually, registerAccount } from '@vidivo/testing';
import { Client } from 'pg';
import { WebSocket } from 'ws';
import { DistributedPlatform, startDistributed } from './platform-under-test';

interface Frame {
  raw: string;
  type: string;
  payload: any;
}

const WAIT_MS = 10_000;
/** calls' CALL_ABANDON_SECONDS in this file's platform. */
const ABANDON_SECONDS = 25;
/** signaling's SIGNAL_RESUME_SECONDS (the default). */
const RESUME_SECONDS = 20;
/** How long a killed replica's peers take to be noticed: the presence entries' TTL, plus the sweep's second. */
const PRESENCE_LOSS_MS = 14_000;

/**
 * A real `ws` client that keeps every frame it receives, in order, so a test can wait for the next
 * one (of a type) with a timeout instead of sleeping.
 */
class Peer {
  private readonly inbox: Frame[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly name: string,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data: Buffer) => {
      const raw = data.toString('utf8');
      let parsed: { type?: string; payload?: unknown } = {};
      try {
        parsed = JSON.parse(raw);
      } catch {
        // kept as is; `type` stays empty
      }
      this.inbox.push({ raw, type: String(parsed.type ?? ''), payload: parsed.payload });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(name: string, url: string): Promise<Peer> {
    const socket = new WebSocket(url);
    const client = new Peer(name, socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** The next frame (of `type` when given; frames of other types stay for later). */
  next(type?: string, timeoutMs = WAIT_MS): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const index = this.inbox.findIndex((frame) => type === undefined || frame.type === type);
        if (index < 0) return false;
        clearTimeout(timer);
        resolve(this.inbox.splice(index, 1)[0]);
        return true;
      };
      const timer = setTimeout(() => {
        const waiting = this.inbox.map((frame) => frame.raw).join('\n  ');
        reject(new Error(`${this.name}: no ${type ?? 'frame'} within ${timeoutMs} ms (state ${this.socket.readyState}); waiting:\n  ${waiting}`));
      }, timeoutMs);
      const wait = () => {
        if (!look()) this.waiters.push(wait);
      };
      wait();
    });
  }

  /** Frames received and not yet taken. */
  pending(): Frame[] {
    return [...this.inbox];
  }

  send(raw: string): void {
    this.socket.send(raw);
  }

  /** Closes from this side and waits until the socket is closed. */
  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1000);
    await this.closed;
  }
}

function within<T>(promise: Promise<T>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs))),
  ]);
}

/**
 * The signaling edge as two replicas of its own process on the machine's NATS: the two peers of a
 * call on different replicas find each other, relay, reconnect across replicas and hear the end
 * of the call (decision 20); a host's incoming calls reach it on whichever replica it is (21).
 */
describe('signaling in distributed mode (replicas over NATS)', () => {
  let platform: DistributedPlatform;
  let api: HttpClient;
  let db: Client;
  let replicaA: string;
  let replicaB: string;
  let replicaC: string;
  const clients: Peer[] = [];

  beforeAll(async () => {
    // Three replicas, so one can be killed and two still serve; calls end a call whose participant is gone for 25 s.
    platform = await startDistributed({ signalingReplicas: 3, callAbandonSeconds: ABANDON_SECONDS });
    api = new HttpClient(platform.baseUrl);
    [replicaA, replicaB, replicaC] = platform.signalingUrls.map((url) => url.replace(/^http/, 'ws'));
    db = await connectDatabase(platform.databaseUrl);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await db?.end();
    await platform?.stop();
  });

  const logs = () => platform.processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  const peer = async (name: string, replica: string, token: string) => {
    const client = await Peer.open(name, `${replica}/signal/ws?token=${encodeURIComponent(token)}`);
    clients.push(client);
    return client;
  };

  const notify = async (name: string, replica: string, token: string) => {
    const client = await Peer.open(name, `${replica}/signal/notify?token=${encodeURIComponent(token)}`);
    clients.push(client);
    return client;
  };

  const link = async (host: Account): Promise<string> => {
    const response = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(response.status).toBe(201);
    return response.body.short_code;
  };

  const guestJoins = async (shortCode: string) => {
    const join = await api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: 'Grace' });
    expect({ status: join.status, text: join.status === 201 ? '' : join.text }).toEqual({ status: 201, text: '' });
    expect(join.body.signaling_token).toMatch(/^st_/);
    return { callId: join.body.call.id as string, guestSt: join.body.signaling_token as string, guestToken: join.body.guest_token as string };
  };

  const freshSignalingToken = async (callId: string, bearer: string): Promise<string> => {
    const response = await api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: bearer });
    expect({ status: response.status, text: response.status === 201 ? '' : response.text }).toEqual({ status: 201, text: '' });
    expect(response.body.signaling_token).toMatch(/^st_/);
    return response.body.signaling_token;
  };

  /** Sends `raw` from one client and expects the other to get exactly those bytes. */
  const relays = async (from: Peer, to: Peer, raw: string) => {
    from.send(raw);
    const type = JSON.parse(raw).type as string;
    expect((await to.next(type)).raw).toBe(raw);
  };

  it('runs each replica with NATS and no database', async () => {
    expect(platform.signalingUrls).toHaveLength(3);
    for (const url of platform.signalingUrls) {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(Object.keys(((await ready.json()) as { details: object }).details)).toEqual(['transport']);
    }
  });

  it('pairs, relays and reconnects the two peers of a call across replicas until the call ends', async () => {
    const host = await registerAccount(api, 'host');
    const hostName = `Display ${host.username}`;
    const { callId, guestSt, guestToken } = await guestJoins(await link(host));
    const hostJoin = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoin.status).toBe(201);
    const hostSt: string = hostJoin.body.signaling_token;
    expect(hostSt).toMatch(/^st_/);

    // The guest is alone on A: what it sends waits there, in order.
    const guest = await peer('guest@A', replicaA, guestSt);
    const offer = '{"type":"offer","payload":{"sdp":"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n","note":"ünïcødé ✓"}}';
    const queuedIce1 = '{ "type": "ice_candidate", "payload": {"candidate":"candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host","sdpMid":"0","sdpMLineIndex":0} }';
    const queuedIce2 = '{"payload":{"candidate":"candidate:2 1 udp 1686052607 203.0.113.7 61000 typ srflx","sdpMid":"0"},"type":"ice_candidate","extra":[1, 2.50, null]}';
    guest.send(offer);
    guest.send(queuedIce1);
    guest.send(queuedIce2);
    // Frames are handled in order, so this error proves A has taken (and queued) the three above.
    guest.send('not json');
    expect((await guest.next('error')).payload).toMatchObject({ code: 'bad_message' });

    // The host comes in on B: both learn of the other; the queue crosses to B in order, after peer_joined.
    const hostB = await peer('host@B', replicaB, hostSt);
    expect(await guest.next('peer_joined')).toMatchObject({ payload: { role: 'host', display_name: hostName } });
    const seenByHost = [await hostB.next(), await hostB.next(), await hostB.next(), await hostB.next()];
    expect(seenByHost[0]).toMatchObject({ type: 'peer_joined', payload: { role: 'guest', display_name: 'Grace' } });
    expect(seenByHost.slice(1).map((frame) => frame.raw)).toEqual([offer, queuedIce1, queuedIce2]);

    // Live relaying across the replicas, both ways, byte for byte.
    await relays(hostB, guest, '{"type":"answer","payload":{"sdp":"v=0\\r\\na=setup:active\\r\\n"},  "seq": 1}');
    await relays(guest, hostB, '{"type":"ice_candidate","payload":{"candidate":"candidate:3 1 tcp 1518280447 10.0.0.1 9 typ host tcptype active","sdpMid":"0"}}');
    await relays(hostB, guest, '{"type":"ice_candidate","payload":{"candidate":"candidate:4 1 udp 2122260223 10.0.0.2 50000 typ host","usernameFragment":"a/b+c"}}');
    await relays(guest, hostB, '{"type":"offer","payload":{"sdp":"v=0\\r\\n"},"restart":true}');

    // The host goes: the guest on the other replica hears it.
    await hostB.close();
    expect(await guest.next('peer_left')).toMatchObject({ payload: { role: 'host' } });

    // The host comes back on A with a fresh token: the peers are now on one replica.
    const hostA = await peer('host@A', replicaA, await freshSignalingToken(callId, host.token));
    expect(await hostA.next('peer_joined')).toMatchObject({ payload: { role: 'guest', display_name: 'Grace' } });
    expect(await guest.next('peer_joined')).toMatchObject({ payload: { role: 'host', display_name: hostName } });
    await relays(hostA, guest, '{"type":"offer","payload":{"sdp":"v=0\\r\\nlocal"}}');
    await relays(guest, hostA, '{"type":"answer","payload":{"sdp":"v=0\\r\\nlocal"}}');

    // The guest reconnects on B: its socket on A is replaced (closed with 4000), not reported as gone.
    const guestB = await peer('guest@B', replicaB, await freshSignalingToken(callId, guestToken));
    expect(await within(guest.closed, 'closing the replaced guest socket')).toMatchObject({ code: 4000 });
    expect(await guestB.next('peer_joined')).toMatchObject({ payload: { role: 'host', display_name: hostName } });
    expect(await hostA.next('peer_joined')).toMatchObject({ payload: { role: 'guest', display_name: 'Grace' } });
    await relays(guestB, hostA, '{"type":"ice_candidate","payload":{"candidate":"candidate:5 1 udp 1 198.51.100.1 3478 typ relay"}}');
    await relays(hostA, guestB, '{"type":"ice_candidate","payload":{"candidate":"candidate:6 1 udp 1 198.51.100.2 3478 typ relay"}}');
    expect(hostA.pending()).toEqual([]);
    expect(guestB.pending()).toEqual([]);

    // The call ends: both sockets, on different replicas, hear it and are closed.
    const ended = await api.post(`/v1/calls/${callId}/end`, {}, { token: host.token });
    expect({ status: ended.status, text: ended.status === 200 ? '' : ended.text }).toEqual({ status: 200, text: '' });
    for (const client of [hostA, guestB]) {
      const frame = await client.next('call_ended').catch((error: Error) => {
        throw new Error(`${error.message}\n${logs()}`);
      });
      expect(frame.payload.call).toMatchObject({ id: callId, status: 'completed' });
      expect(await within(client.closed, `${client.name} closing`)).toMatchObject({ code: 4001 });
    }
  });

  it('announces an incoming call to the host on whichever replica it listens, and the call rings', async () => {
    const host = await registerAccount(api, 'host');
    const channel = await notify('notify@B', replicaB, host.token);

    const { callId } = await guestJoins(await link(host));
    const incoming = await channel.next('incoming_call');
    expect(incoming.payload.call).toMatchObject({ id: callId, host: { id: host.id }, guest: { display_name: 'Grace' } });

    const status = await eventually(
      async () => {
        const call = await api.get(`/v1/calls/${callId}`, { token: host.token });
        expect(call.status).toBe(200);
        return call.body.status;
      },
      (status) => status === 'ringing',
      WAIT_MS,
      100,
    );
    expect(status).toBe('ringing');

    // The waiting call ends before the host picked up: the channel hears it was cancelled.
    const ended = await api.post(`/v1/calls/${callId}/end`, {}, { token: host.token });
    expect(ended.status).toBe(200);
    expect((await channel.next('call_cancelled')).payload.call).toMatchObject({ id: callId, status: 'completed' });
    expect(channel.pending()).toEqual([]);
  });

  /** A call with the guest and the host connected on the given replicas, its clock moved back 90 s (2 billed minutes). */
  const connectedCall = async (guestReplica: string, hostReplica: string) => {
    const host = await registerAccount(api, 'host');
    const { callId, guestSt, guestToken } = await guestJoins(await link(host));
    const hostJoin = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoin.status).toBe(201);
    const guest = await peer('guest', guestReplica, guestSt);
    const hostPeer = await peer('host', hostReplica, hostJoin.body.signaling_token);
    await guest.next('peer_joined');
    await hostPeer.next('peer_joined');
    // Once calls has heard of both connections, the clock may move back: nobody was away meanwhile.
    await eventually(
      () => db.query(`SELECT count(*)::int AS n FROM calls.call_connections WHERE call_id = $1 AND disconnected_at IS NULL`, [callId]).then((result) => result.rows[0].n),
      (open) => open >= 2,
      WAIT_MS,
      100,
    );
    await db.query(`UPDATE calls.calls SET started_at = started_at - interval '90 seconds' WHERE id = $1`, [callId]);
    return { callId, host, guest, hostPeer, guestToken };
  };
  const signalingProcess = (index: number) => platform.processes.find((process) => process.name === `signaling-${index}`)!;

  it('gives a peer that drops the resume grace, and takes it back on another replica with what was said meanwhile (decision 29)', async () => {
    const { callId, host, guest, hostPeer, guestToken } = await connectedCall(replicaA, replicaB);
    guest.socket.terminate(); // the network went: no goodbye
    expect(await hostPeer.next('peer_reconnecting')).toMatchObject({ payload: { role: 'guest' } });
    const meanwhile = ['{"type":"ice_candidate","payload":{"seq":1}}', '{"type":"ice_candidate","payload":{"seq":2}}', '{"type":"offer","payload":{"seq":3}}'];
    for (const frame of meanwhile) hostPeer.send(frame);

    const back = await peer('guest again', replicaC, await freshSignalingToken(callId, guestToken));
    expect(await back.next('peer_joined')).toMatchObject({ payload: { role: 'host' } });
    expect(await hostPeer.next('peer_reconnected')).toMatchObject({ payload: { role: 'guest' } });
    expect([await back.next(), await back.next(), await back.next()].map((frame) => frame.raw)).toEqual(meanwhile);
    await relays(back, hostPeer, '{"type":"answer","payload":{"after":"the gap"}}');
    expect(hostPeer.pending().filter((frame) => frame.type === 'peer_left')).toEqual([]);
    await api.post(`/v1/calls/${callId}/end`, {}, { token: host.token });
  });

  it('notices a replica killed outright (SIGKILL): the other peer hears peer_reconnecting, then peer_reconnected when its peer comes back elsewhere', async () => {
    const { callId, host, guest, hostPeer, guestToken } = await connectedCall(replicaA, replicaB);
    const killedAt = Date.now();
    await signalingProcess(1).stop('SIGKILL');
    await within(guest.closed, 'the guest losing its replica');
    expect(await hostPeer.next('peer_reconnecting', PRESENCE_LOSS_MS + WAIT_MS)).toMatchObject({ payload: { role: 'guest' } });
    expect(Date.now() - killedAt).toBeLessThan(RESUME_SECONDS * 1000);

    const back = await peer('guest on C', replicaC, await freshSignalingToken(callId, guestToken));
    expect(await back.next('peer_joined')).toMatchObject({ payload: { role: 'host' } });
    expect(await hostPeer.next('peer_reconnected')).toMatchObject({ payload: { role: 'guest' } });
    await relays(hostPeer, back, '{"type":"ice_candidate","payload":{"after":"the failover"}}');
    expect((await api.get(`/v1/calls/${callId}`, { token: host.token })).body.status).toBe('active');
    await api.post(`/v1/calls/${callId}/end`, {}, { token: host.token });
  });

  it("ends the call abandoned when a killed replica's peer never comes back: peer_left after the grace, billed to the moment it went", async () => {
    const { callId, host, hostPeer } = await connectedCall(replicaB, replicaC);
    const killedAt = Date.now();
    await signalingProcess(2).stop('SIGKILL');
    expect(await hostPeer.next('peer_reconnecting', PRESENCE_LOSS_MS + WAIT_MS)).toMatchObject({ payload: { role: 'guest' } });
    expect(await hostPeer.next('peer_left', RESUME_SECONDS * 1000)).toMatchObject({ payload: { role: 'guest' } });

    const ended = await hostPeer.next('call_ended', (ABANDON_SECONDS + 10) * 1000);
    const call = ended.payload.call;
    expect(call).toMatchObject({ id: callId, status: 'completed', end_reason: 'abandoned', billed_minutes: 2, total_charged: '5.00' });
    // The guest went with its replica: the call is billed to the last moment its presence was seen, not to when anyone noticed.
    expect(Date.parse(call.ended_at)).toBeLessThanOrEqual(killedAt + 1_000);
    expect(Date.parse(call.ended_at)).toBeGreaterThan(killedAt - 6_000);
    // Billing follows: exactly the two minutes are captured.
    const intentsOf = () =>
      fetch(`${platform.emulatorUrl}/_emulator/payment_intents?call_id=${callId}`).then(
        (response) => response.json() as Promise<Array<{ status: string; amount_received: number }>>,
      );
    const intents = await eventually(intentsOf, (list) => !list.some((intent) => intent.status === 'requires_capture'), 20_000, 250);
    expect(intents.map((intent) => [intent.status, intent.amount_received])).toEqual([['succeeded', 500]]);
    expect((await api.get(`/v1/calls/${callId}`, { token: host.token })).body.status).toBe('completed');
  });
});
