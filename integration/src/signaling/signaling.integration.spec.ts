import { JwtService } from '@nestjs/jwt';
import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { MessageBus, SignalingTokenVerifier } from '@vidivo/platform';
import { Account, ComposedPlatform, eventually, registerAccount, sleep, startComposedPlatform, testJwtKeys } from '@vidivo/testing';
import { generateKeyPairSync } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { signalingApp } from '@vidivo/app-signaling';
import { CLOSE, InProcessRoomBus, PeerSockets, QUEUE_LIMIT, RoomSignal, SignalClient, callRoomsOn } from '@vidivo/app-signaling/testing';

/** Sent as text and compared byte for byte: odd spacing, unicode, deep nesting, long decimals, duplicate keys. */
const UNUSUAL = {
  offer:
    '{ "type" :"offer",\n\t"payload": {"type":"offer","sdp":"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n",' +
    '"note":"héllo wörld 🎥📞 日本語 \\u00e9\\u2028 \\"quoted\\" \\\\ back","ratio":3.14159265358979323846264338327950288419716939937510,' +
    '"tiny":-0.000000000000000000000123456789012345678901234567890,"huge":1e400,"exp":6.02214076E+23,' +
    '"nested":{"a":[1,{"b":[null,true,false,{"c":{"d":[[],{}]}}]}],"empty":""}},"extra":"kept","extra":"twice"}',
  answer: '{"payload":{"type":"answer","sdp":"v=0\\r\\na=ice-ufrag:ÄÖÜ\\r\\n","ünïcödé-kéy":"✓"},"type":"answer"}',
  guestCandidate: '{"type":"ice_candidate","payload":{"candidate":"candidate:1 1 UDP 2122260223 192.168.1.2 54321 typ host","sdpMid":"0","sdpMLineIndex":0.0000000000001}}',
  hostCandidate: '{"type":"ice_candidate","payload":{"candidate":"candidate:2 1 TCP 1518280447 [2001:db8::1] 9 typ host tcptype active","usernameFragment":"🧊"}}',
};

jest.setTimeout(40_000);

/** The resume grace of this file's platform: short, so tests can wait it out. */
const RESUME_SECONDS = 2;

describe('signaling over real WebSockets (in-process platform, real Postgres, Stripe emulator)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let host: Account;
  let link: { id: string; short_code: string };
  const clients: SignalClient[] = [];

  interface Call {
    id: string;
    guest: { signalingToken: string; token: string; name: string };
    host: { signalingToken: string; token: string; name: string };
  }

  const createLink = async (owner: Account) => {
    const response = await platform.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: owner.token });
    expect(response.status).toBe(201);
    return response.body as { id: string; short_code: string };
  };
  /** An anonymous guest joins: the call is waiting, the guest has a signaling token and a guest access token. */
  let guestNames = 0;
  const guestJoins = async (shortCode: string, guestName = `Grace ✨ ${++guestNames}`) => {
    const joined = await platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: guestName });
    expect(joined.status).toBe(201);
    return { callId: joined.body.call.id as string, signalingToken: joined.body.signaling_token as string, token: joined.body.guest_token as string, name: guestName };
  };
  /** A call on the shared link with both participants holding signaling tokens (the host has joined over REST). */
  const startCall = async (): Promise<Call> => {
    const guest = await guestJoins(link.short_code);
    const hostJoined = await platform.api.post(`/v1/calls/${guest.callId}/host-join`, undefined, { token: host.token });
    expect(hostJoined.status).toBe(201);
    return {
      id: guest.callId,
      guest: { signalingToken: guest.signalingToken, token: guest.token, name: guest.name },
      host: { signalingToken: hostJoined.body.signaling_token, token: host.token, name: host.displayName },
    };
  };
  const freshToken = async (callId: string, accessToken: string) => {
    const response = await platform.api.post(`/v1/calls/${callId}/signaling-token`, undefined, { token: accessToken });
    expect(response.status).toBe(201);
    expect(response.body.signaling_token).toMatch(/^st_/);
    return response.body.signaling_token as string;
  };
  const wsUrl = (path: string, token?: string) => `${platform.baseUrl.replace(/^http/, 'ws')}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  const open = async (path: '/signal/ws' | '/signal/notify', token: string) => {
    const client = await SignalClient.connect(wsUrl(path, token));
    clients.push(client);
    return client;
  };
  const peer = (token: string) => open('/signal/ws', token);
  /** Both peers connected and introduced. */
  const connectedPair = async (call: Call) => {
    const guest = await peer(call.guest.signalingToken);
    const hostPeer = await peer(call.host.signalingToken);
    await guest.next('peer_joined');
    await hostPeer.next('peer_joined');
    return { guest, host: hostPeer };
  };
  const callStatus = async (callId: string, token: string) => (await platform.api.get(`/v1/calls/${callId}`, { token })).body.status as string;
  const sign = (privateKey: string, claims: Record<string, unknown>, issuer = 'vidivo-signaling') =>
    `st_${new JwtService({ privateKey, signOptions: { algorithm: 'RS256', issuer } }).sign(claims)}`;
  /** Sends a request the HTTP parser takes and answers with what the server wrote before closing. */
  const rawRequest = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const { port } = new URL(platform.baseUrl);
      const socket = connectTcp(Number(port), '127.0.0.1', () => socket.write(request));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      socket.setTimeout(10_000, () => {
        socket.destroy();
        reject(new Error(`no answer to ${JSON.stringify(request.slice(0, 40))}`));
      });
    });

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'signaling',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, signalingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        SIGNALING_PING_SECONDS: '1',
        SIGNAL_RESUME_SECONDS: String(RESUME_SECONDS),
      },
    });
    // This host never opens a notify channel, so its calls stay `waiting` until host-join.
    host = await registerAccount(platform.api, 'host');
    link = await createLink(host);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.terminate();
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('peers on /signal/ws', () => {
    it('introduces both peers by role and display name and relays offer, answer and ice candidates byte for byte', async () => {
      const call = await startCall();
      const guest = await peer(call.guest.signalingToken);
      const hostPeer = await peer(call.host.signalingToken);

      expect(await guest.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'host', display_name: host.displayName } });
      expect(await hostPeer.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'guest', display_name: call.guest.name } });

      guest.send(UNUSUAL.offer);
      const offer = await hostPeer.next('offer');
      expect(hostPeer.frames.at(-1)!.bytes.equals(Buffer.from(UNUSUAL.offer, 'utf8'))).toBe(true);
      expect(offer.extra).toBe('twice');

      hostPeer.send(UNUSUAL.answer);
      await guest.next('answer');
      expect(guest.frames.at(-1)!.text).toBe(UNUSUAL.answer);
      expect(guest.frames.at(-1)!.bytes.equals(Buffer.from(UNUSUAL.answer, 'utf8'))).toBe(true);

      guest.send(UNUSUAL.guestCandidate);
      hostPeer.send(UNUSUAL.hostCandidate);
      await hostPeer.next('ice_candidate');
      await guest.next('ice_candidate');
      expect(hostPeer.frames.at(-1)!.bytes.equals(Buffer.from(UNUSUAL.guestCandidate, 'utf8'))).toBe(true);
      expect(guest.frames.at(-1)!.bytes.equals(Buffer.from(UNUSUAL.hostCandidate, 'utf8'))).toBe(true);

      // Nothing else went either way: no echo, no extra frames.
      expect(hostPeer.frames.map((frame) => frame.text)).toEqual([expect.stringContaining('peer_joined'), UNUSUAL.offer, UNUSUAL.guestCandidate]);
      expect(guest.frames.map((frame) => frame.text)).toEqual([expect.stringContaining('peer_joined'), UNUSUAL.answer, UNUSUAL.hostCandidate]);
      expect(hostPeer.frames.every((frame) => !frame.binary) && guest.frames.every((frame) => !frame.binary)).toBe(true);
    });

    it('queues what a peer sends while alone and delivers it, in order, right after peer_joined', async () => {
      const call = await startCall();
      const guest = await peer(call.guest.signalingToken);
      const sent = [1, 2, 3, 4, 5].map((seq) => JSON.stringify({ type: seq === 1 ? 'offer' : 'ice_candidate', payload: { seq, candidate: `c${seq} ✓` } }));
      for (const raw of sent) guest.send(raw);
      // Frames are handled in order: once this one is refused, the five before it are queued.
      guest.send('{"type":"probe"}');
      expect((await guest.next('error')).payload.code).toBe('bad_message');

      const hostPeer = await peer(call.host.signalingToken);
      await hostPeer.until(() => hostPeer.frames.length >= 6, 'peer_joined and the five queued messages');
      expect(hostPeer.frames[0].message).toEqual({ type: 'peer_joined', payload: { role: 'guest', display_name: call.guest.name } });
      expect(hostPeer.frames.slice(1).map((frame) => frame.text)).toEqual(sent);
      expect(await guest.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'host', display_name: host.displayName } });
    });

    it(`bounds the queue at ${QUEUE_LIMIT}: one more gets queue_full, and only the queued ones are delivered`, async () => {
      const call = await startCall();
      const guest = await peer(call.guest.signalingToken);
      const message = (seq: number) => JSON.stringify({ type: 'ice_candidate', payload: { seq } });
      // A burst under the rate limit's 100, then slower than its refill (50/s), so nothing is rate limited.
      const burst = 80;
      for (let seq = 1; seq <= burst; seq++) guest.send(message(seq));
      for (let seq = burst + 1; seq <= QUEUE_LIMIT + 1; seq++) {
        await sleep(25);
        guest.send(message(seq));
      }
      const refused = await guest.next('error');
      expect(refused.payload.code).toBe('queue_full');
      expect(guest.ofType('error')).toHaveLength(1);

      const hostPeer = await peer(call.host.signalingToken);
      await hostPeer.next('peer_joined');
      await guest.next('peer_joined');
      guest.send(JSON.stringify({ type: 'answer', payload: { marker: true } }));
      await hostPeer.next('answer');
      const seqs = hostPeer.ofType('ice_candidate').map((relayed) => relayed.payload.seq);
      expect(seqs).toEqual(Array.from({ length: QUEUE_LIMIT }, (_, index) => index + 1));
      expect(hostPeer.frames).toHaveLength(1 + QUEUE_LIMIT + 1);
      expect(guest.ofType('error')).toHaveLength(1);
    });

    it('tells the remaining peer with peer_left when the other one goes', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      guest.socket.close(1000, 'bye');
      expect((await guest.closedWithin()).code).toBe(1000);
      expect(await hostPeer.next('peer_left')).toEqual({ type: 'peer_left', payload: { role: 'guest' } });

      expect(hostPeer.ofType('peer_reconnecting')).toEqual([]);

      // The guest comes back with a fresh token: both are introduced again and talk.
      const back = await peer(await freshToken(call.id, call.guest.token));
      expect(await back.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'host', display_name: host.displayName } });
      expect(await hostPeer.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'guest', display_name: call.guest.name } });
      // A `leave` frame is a goodbye too (decision 29).
      hostPeer.send({ type: 'leave' });
      expect((await hostPeer.closedWithin()).code).toBe(1000);
      expect(await back.next('peer_left')).toEqual({ type: 'peer_left', payload: { role: 'host' } });
    });

    it('gives a dropped peer the resume grace: reconnecting, then reconnected, with what was said meanwhile in order (decision 29)', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      guest.terminate(); // the network went, no goodbye
      expect(await hostPeer.next('peer_reconnecting')).toEqual({ type: 'peer_reconnecting', payload: { role: 'guest' } });
      const meanwhile = [1, 2, 3, 4, 5].map((seq) => JSON.stringify({ type: 'ice_candidate', payload: { seq } }));
      for (const frame of meanwhile) hostPeer.send(frame);

      const back = await peer(await freshToken(call.id, call.guest.token));
      expect(await back.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'host', display_name: host.displayName } });
      expect(await hostPeer.next('peer_reconnected')).toEqual({ type: 'peer_reconnected', payload: { role: 'guest' } });
      await back.until(() => back.ofType('ice_candidate').length === meanwhile.length, 'the frames sent during the gap');
      expect(back.frames.slice(1).map((frame) => frame.text)).toEqual(meanwhile);
      expect(hostPeer.ofType('peer_left')).toEqual([]);
      expect(hostPeer.ofType('peer_joined')).toHaveLength(1);

      // And the call goes on both ways.
      back.send(UNUSUAL.offer);
      await hostPeer.next('offer');
    });

    it('says peer_left once the resume grace runs out', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const droppedAt = Date.now();
      guest.terminate();
      await hostPeer.next('peer_reconnecting');
      expect(await hostPeer.next('peer_left', 8_000)).toEqual({ type: 'peer_left', payload: { role: 'guest' } });
      expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(RESUME_SECONDS * 1000 - 100);
    });

    it('replaces the old socket when a participant reconnects with a fresh token (4000), and relays to the new one only', async () => {
      const call = await startCall();
      const { guest: oldGuest, host: hostPeer } = await connectedPair(call);

      const newGuest = await peer(await freshToken(call.id, call.guest.token));
      expect((await oldGuest.closedWithin()).code).toBe(CLOSE.replaced);
      expect(await newGuest.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'host', display_name: host.displayName } });
      expect(await hostPeer.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'guest', display_name: call.guest.name } });

      hostPeer.send(UNUSUAL.hostCandidate);
      await newGuest.next('ice_candidate');
      expect(newGuest.frames.at(-1)!.text).toBe(UNUSUAL.hostCandidate);
      newGuest.send(UNUSUAL.offer);
      await hostPeer.next('offer');
      expect(hostPeer.frames.at(-1)!.text).toBe(UNUSUAL.offer);

      expect(oldGuest.ofType('ice_candidate')).toEqual([]);
      // The old socket closing is not the guest leaving.
      expect(hostPeer.ofType('peer_left')).toEqual([]);
      expect(hostPeer.ofType('peer_joined')).toHaveLength(2);
    });

    describe('refuses invalid tokens with error unauthorized, then 4401', () => {
      const otherKey = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const claimsFor = (call: Call) => ({ sub: 'participant-x', call_id: call.id, call_role: 'guest', name: 'Forger' });
      const cases: Array<[string, (call: Call) => string]> = [
        ['garbage', () => 'garbage'],
        ['an empty token', () => ''],
        ['st_ and garbage', () => 'st_not.a.jwt'],
        ["a host's access token", () => host.token],
        ['an access token with the st_ prefix', () => `st_${host.token}`],
        ['a token signed by another key', (call) => sign(otherKey.privateKey, claimsFor(call))],
        ['an expired token signed with the platform key', (call) => sign(testJwtKeys().privateKey, { ...claimsFor(call), exp: Math.floor(Date.now() / 1000) - 30 })],
        ['a token with the access-token issuer', (call) => sign(testJwtKeys().privateKey, claimsFor(call), 'vidivo')],
        ['a token with a role that is not host or guest', (call) => sign(testJwtKeys().privateKey, { ...claimsFor(call), call_role: 'admin' })],
        [
          'a token for a call that does not exist',
          () => sign(testJwtKeys().privateKey, { sub: 'participant-x', call_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', call_role: 'guest', name: 'Forger' }),
        ],
      ];

      it.each(cases)('%s', async (_, tokenFor) => {
        const call = await startCall();
        const client = await SignalClient.connect(wsUrl('/signal/ws', tokenFor(call)));
        clients.push(client);
        const error = await client.next('error');
        expect(error.payload).toMatchObject({ code: 'unauthorized' });
        expect(typeof error.payload.message).toBe('string');
        expect((await client.closedWithin()).code).toBe(4401);
        expect(client.frames).toHaveLength(1);
      });

      it('(control) accepts a token signed with the platform key, so the expired one is refused for its age alone', async () => {
        const call = await startCall();
        const forged = await peer(sign(testJwtKeys().privateKey, { ...claimsFor(call), exp: Math.floor(Date.now() / 1000) + 60 }));
        const hostPeer = await peer(call.host.signalingToken);
        expect(await hostPeer.next('peer_joined')).toEqual({ type: 'peer_joined', payload: { role: 'guest', display_name: 'Forger' } });
        expect(await forged.next('peer_joined')).toMatchObject({ payload: { role: 'host' } });
      });

      it('refuses a connection without any token', async () => {
        const client = await SignalClient.connect(wsUrl('/signal/ws'));
        clients.push(client);
        expect((await client.next('error')).payload.code).toBe('unauthorized');
        expect((await client.closedWithin()).code).toBe(4401);
      });
    });

    it('answers a still-valid token for a call that has ended with call_ended, then closes', async () => {
      const call = await startCall();
      const ended = await platform.api.post(`/v1/calls/${call.id}/end`, {}, { token: call.guest.token });
      expect(ended.status).toBe(200);

      const client = await SignalClient.connect(wsUrl('/signal/ws', call.guest.signalingToken));
      clients.push(client);
      const message = await client.next('call_ended');
      expect(message.payload.call).toMatchObject({ id: call.id, status: 'completed', end_reason: 'user_ended' });
      expect(message.payload.call).not.toHaveProperty('link_id');
      const closed = await client.closedWithin();
      expect(closed.code).toBe(CLOSE.callEnded);
      expect(client.ofType('error')).toEqual([]);
    });

    it('answers malformed JSON, unknown types and binary frames with bad_message and keeps the connection', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const bad = ['{"type":', 'not json at all', '[1,2]', 'null', '{"payload":{}}', '{"type":"hello"}', '{"type":"peer_joined","payload":{}}', '{"type":1}'];
      for (const raw of bad) guest.send(raw);
      await guest.sendNow(Buffer.from(JSON.stringify({ type: 'offer', payload: {} })), { binary: true });
      for (let index = 0; index <= bad.length; index++) {
        const error = await guest.next('error');
        expect(error.payload).toMatchObject({ code: 'bad_message', message: expect.any(String) });
      }

      guest.send(UNUSUAL.offer);
      await hostPeer.next('offer');
      hostPeer.send(UNUSUAL.answer);
      await guest.next('answer');
      expect(hostPeer.frames.map((frame) => frame.message?.type)).toEqual(['peer_joined', 'offer']);
      expect(guest.isClosed).toBe(false);
    });

    it('relays a frame of exactly 64 KiB and closes the socket on a larger one (1009)', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const frameOf = (bytes: number) => {
        const head = '{"type":"offer","payload":{"sdp":"';
        const tail = '"}}';
        return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
      };
      const largest = frameOf(64 * 1024);
      guest.send(largest);
      await hostPeer.next('offer');
      expect(hostPeer.frames.at(-1)!.bytes.length).toBe(64 * 1024);

      guest.send(frameOf(64 * 1024 + 1));
      expect((await guest.closedWithin()).code).toBe(1009);
      // Closed by the server, not a goodbye: the guest may come back.
      expect(await hostPeer.next('peer_reconnecting')).toEqual({ type: 'peer_reconnecting', payload: { role: 'guest' } });
      expect(hostPeer.ofType('offer')).toHaveLength(1);
      // The platform is still up and serves the next peer.
      const back = await peer(await freshToken(call.id, call.guest.token));
      expect(await back.next('peer_joined')).toMatchObject({ payload: { role: 'host' } });
      expect(await hostPeer.next('peer_reconnected')).toEqual({ type: 'peer_reconnected', payload: { role: 'guest' } });
    });

    it('rate limits a flood: rate_limited errors, and the other peer receives fewer than were sent', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const flood = 500;
      for (let seq = 1; seq <= flood; seq++) guest.send(JSON.stringify({ type: 'ice_candidate', payload: { seq } }));
      // Every frame is either relayed or refused, so the two counts add up to the flood.
      await SignalClient.until([guest, hostPeer], () => hostPeer.ofType('ice_candidate').length + guest.ofType('error').length >= flood, 'every flooded frame relayed or refused');
      const relayed = hostPeer.ofType('ice_candidate').map((message) => message.payload.seq);
      expect(relayed.length + guest.ofType('error').length).toBe(flood);
      const errors = guest.ofType('error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((error) => error.payload.code === 'rate_limited')).toBe(true);
      expect(relayed.length).toBeLessThan(flood);
      expect(relayed.length).toBeGreaterThanOrEqual(100);
      expect(relayed.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
      expect(relayed.every((seq, index) => index === 0 || seq > relayed[index - 1])).toBe(true);
      expect(guest.isClosed).toBe(false);

      // The bucket refills at 50 a second: a moment later the same connection is heard again.
      await sleep(200);
      guest.send(UNUSUAL.offer);
      await hostPeer.next('offer');
      expect(hostPeer.frames.at(-1)!.text).toBe(UNUSUAL.offer);
    });

    it('terminates a peer that stops answering pings and tells the other one (peer_left)', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const stoppedAt = Date.now();
      // The client stops reading: pings go unanswered, as from a vanished network.
      (guest.socket as unknown as { _socket: { pause(): void } })._socket.pause();

      expect(await hostPeer.next('peer_reconnecting', 8_000)).toEqual({ type: 'peer_reconnecting', payload: { role: 'guest' } });
      // Two ping rounds of SIGNALING_PING_SECONDS=1 at most, with slack for a busy machine.
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      expect(await hostPeer.next('peer_left', 8_000)).toEqual({ type: 'peer_left', payload: { role: 'guest' } });
      (guest.socket as unknown as { _socket: { resume(): void } })._socket.resume();
      expect((await guest.closedWithin()).code).toBe(1006);
      // The live peer answered its pings throughout and is still connected.
      expect(hostPeer.isClosed).toBe(false);
    });

    it('ends the call: both peers get call_ended with the public call and are closed', async () => {
      const call = await startCall();
      const { guest, host: hostPeer } = await connectedPair(call);
      const ended = await platform.api.post(`/v1/calls/${call.id}/end`, {}, { token: host.token });
      expect(ended.status).toBe(200);

      for (const client of [guest, hostPeer]) {
        const message = await client.next('call_ended');
        expect(Object.keys(message)).toEqual(['type', 'payload']);
        expect(message.payload.call).toMatchObject({ id: call.id, status: 'completed', end_reason: 'host_ended', host: { id: host.id, display_name: host.displayName } });
        expect(message.payload.call).not.toHaveProperty('link_id');
        expect((await client.closedWithin()).code).toBe(CLOSE.callEnded);
      }
      expect(guest.ofType('peer_left')).toEqual([]);
      expect(hostPeer.ofType('peer_left')).toEqual([]);
    });
  });

  describe('hosts on /signal/notify', () => {
    /** When the signaling edge has handled the call's created event (the relay marks it after every listener ran). */
    const createdEventHandled = (callId: string) =>
      eventually(
        () =>
          platform.sql
            .query(`SELECT published_at FROM calls.outbox WHERE subject = 'calls.call.created' AND payload->'payload'->'call'->>'id' = $1`, [callId])
            .then((result) => result.rows[0]?.published_at ?? null),
        (publishedAt) => publishedAt !== null,
      );

    it('rings the host: incoming_call on an open notify channel, and the call becomes ringing', async () => {
      const ringing = await registerAccount(platform.api, 'host');
      const notify = await open('/signal/notify', ringing.token);
      const guest = await guestJoins((await createLink(ringing)).short_code, 'Ada');

      const incoming = await notify.next('incoming_call');
      expect(Object.keys(incoming)).toEqual(['type', 'payload']);
      expect(incoming.payload.call).toMatchObject({ id: guest.callId, host: { id: ringing.id }, guest: { display_name: 'Ada' }, rate_per_minute: '2.50' });
      expect(incoming.payload.call).not.toHaveProperty('link_id');
      expect(
        await eventually(
          () => callStatus(guest.callId, ringing.token),
          (status) => status === 'ringing',
        ),
      ).toBe('ringing');
      expect(notify.frames).toHaveLength(1);
    });

    it('leaves a call waiting without a notify channel, and announces it when the host opens one later', async () => {
      const late = await registerAccount(platform.api, 'host');
      const guest = await guestJoins((await createLink(late)).short_code);
      await createdEventHandled(guest.callId);
      expect(await callStatus(guest.callId, late.token)).toBe('waiting');

      const notify = await open('/signal/notify', late.token);
      expect((await notify.next('incoming_call')).payload.call).toMatchObject({ id: guest.callId, status: 'waiting' });
      expect(
        await eventually(
          () => callStatus(guest.callId, late.token),
          (status) => status === 'ringing',
        ),
      ).toBe('ringing');
    });

    it('sends call_cancelled when a waiting call ends', async () => {
      const cancelled = await registerAccount(platform.api, 'host');
      const notify = await open('/signal/notify', cancelled.token);
      const guest = await guestJoins((await createLink(cancelled)).short_code);
      await notify.next('incoming_call');

      const ended = await platform.api.post(`/v1/calls/${guest.callId}/end`, {}, { token: guest.token });
      expect(ended.status).toBe(200);
      const message = await notify.next('call_cancelled');
      expect(message.payload.call).toMatchObject({ id: guest.callId, status: 'completed', started_at: null, billed_minutes: 0 });
      expect(message.payload.call).not.toHaveProperty('link_id');
      expect(notify.isClosed).toBe(false);
    });

    it('announces a waiting call to a newly opened channel without repeating it on the channels that already had it', async () => {
      const twoTabs = await registerAccount(platform.api, 'host');
      const first = await open('/signal/notify', twoTabs.token);
      const guest = await guestJoins((await createLink(twoTabs)).short_code);
      await first.next('incoming_call');

      const second = await open('/signal/notify', twoTabs.token);
      expect((await second.next('incoming_call')).payload.call.id).toBe(guest.callId);
      await platform.api.post(`/v1/calls/${guest.callId}/end`, {}, { token: guest.token });
      await first.next('call_cancelled');
      await second.next('call_cancelled');
      expect(first.frames.map((frame) => frame.message?.type)).toEqual(['incoming_call', 'call_cancelled']);
      expect(second.frames.map((frame) => frame.message?.type)).toEqual(['incoming_call', 'call_cancelled']);
    });

    it.each([
      ['a guest access token', async () => (await guestJoins(link.short_code)).token],
      ['a user access token', async () => (await registerAccount(platform.api, 'user')).token],
      ['a signaling token', async () => (await startCall()).host.signalingToken],
      ['garbage', async () => 'garbage'],
    ])('refuses %s with error unauthorized, then 4401', async (_, tokenOf) => {
      const client = await SignalClient.connect(wsUrl('/signal/notify', await tokenOf()));
      clients.push(client);
      expect((await client.next('error')).payload).toMatchObject({ code: 'unauthorized' });
      expect((await client.closedWithin()).code).toBe(4401);
    });
  });

  describe('a peer that goes while its room is being joined', () => {
    /** A room bus whose join waits for the test, as a NATS subscription waits for the server. */
    class GatedRoomBus extends InProcessRoomBus {
      open!: () => void;
      readonly opened = new Promise<void>((resolve) => (this.open = resolve));
      override async join(callId: string, onSignal: (signal: RoomSignal) => void): Promise<void> {
        await this.opened;
        return super.join(callId, onSignal);
      }
    }

    it('is forgotten, not left in the room as a peer that can never leave', async () => {
      const bus = new GatedRoomBus();
      const rooms = callRoomsOn(bus);
      const grant = { call_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', participant_id: 'guest-1', call_role: 'guest' as const, display_name: 'Gone' };
      const tokens = { verify: () => grant } as unknown as SignalingTokenVerifier;
      const calls = { request: async () => ({ id: grant.call_id, status: 'active' }) } as unknown as MessageBus;
      const peers = new PeerSockets(tokens, rooms, calls);
      const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      try {
        await new Promise((resolve) => server.once('listening', resolve));
        const accepted = new Promise<{ socket: WebSocket; done: Promise<void> }>((resolve) =>
          server.once('connection', (socket) => resolve({ socket, done: peers.accept(socket, 'st_token') })),
        );
        const client = await SignalClient.connect(`ws://127.0.0.1:${(server.address() as { port: number }).port}/signal/ws`);
        const { socket, done } = await accepted;
        const serverSawClose = new Promise((resolve) => socket.once('close', resolve));
        client.socket.close(1000);
        await serverSawClose;

        bus.open();
        await done;
        expect(rooms.size).toBe(0);
      } finally {
        for (const socket of server.clients) socket.terminate();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('the upgrade', () => {
    it.each(['/signal', '/signal/other', '/signal/ws/extra', '/v1/calls/links', '/'])('refuses %s with 404', async (path) => {
      expect(await SignalClient.refusal(wsUrl(path, host.token))).toBe(404);
    });

    it('survives an upgrade request whose target is not a URL, and keeps serving', async () => {
      const answer = await rawRequest(
        'GET http://[ HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      const call = await startCall();
      await connectedPair(call);
    });
  });
});
