import { HttpClient, eventually, reach, registerAccount } from '@vidivo/testing';
import { createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { Coturn, TURN_HOST, startCoturn } from './turn/coturn';
import { PeerPageServer } from './webrtc/peer-page.server';
import { PeerPageSession, startPeerPageSession } from './webrtc/peer-page-session';
import { join } from 'node:path';

type Role = 'guest' | 'host';

interface TurnCredentials {
  urls: string[];
  username: string;
  credential: string;
}
interface CandidateError {
  errorCode: number;
  errorText: string;
  url: string;
}
interface Probe {
  candidates: Array<{ type: string; protocol: string; relayProtocol?: string; address: string; port: number; url?: string }>;
  errors: CandidateError[];
  gatheringState: string;
}
/** What relay-peer.html keeps in window.peer. */
interface PeerState {
  connectionState: string;
  iceConnectionState: string;
  socketState: string;
  received: string[];
  sent: string[];
  candidateTypes: string[];
  candidateErrors: CandidateError[];
  errors: string[];
}
interface InboundVideo {
  framesDecoded: number;
  bytesReceived: number;
}
interface CandidateStats {
  candidateType: string;
  protocol: string;
  relayProtocol?: string;
  address: string;
  port: number;
  url?: string;
}
interface SelectedPair {
  state: string;
  nominated: boolean;
  bytesSent: number;
  bytesReceived: number;
  local: CandidateStats;
  remote: CandidateStats;
}

const WAIT_MS = 30_000;
const PROBE_MS = 10_000;

/** The REST scheme's credential for a username, as coturn recomputes it from the shared secret. */
const hmac = (secret: string, username: string) => createHmac('sha1', secret).update(username).digest('base64');

/**
 * About one call in five cannot go peer to peer and needs a relay. Here a real coturn, started by
 * the test with the secret the platform signs TURN credentials with, is the only way through:
 * both pages use `iceTransportPolicy: "relay"` and exactly the `turn_credentials` of their own
 * join answer. Credentials that expired or do not match the secret are refused by coturn itself.
 */
describe('calls relayed through coturn with the TURN credentials the API hands out (standalone)', () => {
  const turnSecret = randomBytes(24).toString('base64url');
  let session: PeerPageSession | undefined;
  let coturn: Coturn | undefined;
  let pageServer: PeerPageServer | undefined;
  let browser: Browser | undefined;
  let api: HttpClient;
  const pageErrors: string[] = [];
  /** The call's two pages, by role. */
  const peers = new Map<Role, Page>();
  /** Each side's turn_credentials and signaling URL, from its own join/host-join answer. */
  const access = {} as Record<Role, { participantId: string; turn: TurnCredentials; signalingUrl: string }>;

  beforeAll(async () => {
    // The platform must know coturn's port (TURN_URLS), so coturn goes first.
    coturn = await startCoturn(turnSecret);
    session = await startPeerPageSession(join(__dirname, 'turn/relay-peer.html'), { TURN_SECRET: turnSecret, TURN_URLS: coturn.urls.join(',') });
    ({ pageServer, browser, api } = session);

    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    const joined = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' });
    expect(joined.status).toBe(201);
    const hostJoined = await api.post(`/v1/calls/${joined.body.call.id}/host-join`, undefined, { token: host.token });
    expect(hostJoined.status).toBe(201);
    const signalingUrl = (answer: any) => {
      const url = new URL(answer.signaling_url);
      url.searchParams.set('token', answer.signaling_token);
      return url.toString();
    };
    access.guest = { participantId: joined.body.call.guest.id, turn: joined.body.turn_credentials, signalingUrl: signalingUrl(joined.body) };
    access.host = { participantId: host.id, turn: hostJoined.body.turn_credentials, signalingUrl: signalingUrl(hostJoined.body) };
  }, 60_000);

  afterAll(async () => {
    await session?.stop();
    await coturn?.stop();
  });

  async function newPage(name: string): Promise<Page> {
    const page = await browser!.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${name} console: ${message.text()}`));
    await page.goto(pageServer!.url);
    return page;
  }

  const state = (role: Role) => peers.get(role)!.evaluate(() => (globalThis as any).peer as PeerState);
  const inboundVideo = (role: Role) => peers.get(role)!.evaluate(() => (globalThis as any).inboundVideo() as Promise<InboundVideo>);
  const selectedPair = (role: Role) => peers.get(role)!.evaluate(() => (globalThis as any).selectedPair() as Promise<SelectedPair | null>);

  /** Polls both pages until `done` holds for each, or fails showing what each page got to. */
  async function bothReach(what: string, done: (peer: PeerState, video: InboundVideo, pair: SelectedPair | null) => boolean): Promise<void> {
    const coturnTail = () => coturn!.output().split('\n').slice(-60).join('\n');
    await reach(
      async () => {
        const [guest, host] = await Promise.all(
          (['guest', 'host'] as const).map(async (role) => ({ peer: await state(role), video: await inboundVideo(role), pair: await selectedPair(role) })),
        );
        return { guest, host };
      },
      ({ guest, host }) => done(guest.peer, guest.video, guest.pair) && done(host.peer, host.video, host.pair),
      (last) => `both pages did not reach "${what}" in ${WAIT_MS / 1000} s:\n${JSON.stringify({ ...last, pageErrors }, null, 2)}\ncoturn:\n${coturnTail()}`,
      WAIT_MS,
      250,
    );
  }

  /** Gathers candidates in `page` with only these credentials (relay policy): what came, and what failed. */
  const probe = (page: Page, credentials: TurnCredentials) =>
    page.evaluate((args) => (globalThis as any).probeTurn(args) as Promise<Probe>, { iceServers: [credentials], timeoutMs: PROBE_MS });

  /**
   * What coturn logged from offset `from` on, once it holds `expected` (polled briefly: coturn may
   * write a request's log line just after answering it), or as it stands after 3 s.
   */
  async function coturnLogSince(from: number, expected: string): Promise<string> {
    return eventually(
      () => Promise.resolve(coturn!.output().slice(from)),
      (logged) => logged.includes(expected),
      3_000,
    );
  }

  it('hands out coturn REST credentials for the configured TURN URLs, which coturn accepts over UDP and TCP', async () => {
    for (const role of ['guest', 'host'] as const) {
      const { turn, participantId } = access[role];
      expect(turn.urls).toEqual(coturn!.urls);
      const expiry = Number(turn.username.slice(0, turn.username.indexOf(':')));
      expect(turn.username).toBe(`${expiry}:${participantId}`);
      expect(expiry).toBeGreaterThan(Date.now() / 1000 + 3600);
      expect(turn.credential).toBe(hmac(turnSecret, turn.username));
    }

    const page = await newPage('probe');
    const from = coturn!.output().length;
    const accepted = await probe(page, access.guest.turn);
    expect(accepted.errors).toEqual([]);
    expect(accepted.candidates.length).toBeGreaterThan(0);
    for (const candidate of accepted.candidates) expect(candidate).toMatchObject({ type: 'relay', address: TURN_HOST });
    // One relayed address allocated over each of the two URLs (UDP and TCP to coturn).
    expect(new Set(accepted.candidates.map((candidate) => candidate.url))).toEqual(new Set(coturn!.urls));
    const allocated = `user <${access.guest.turn.username}>: incoming packet ALLOCATE processed, success`;
    expect(await coturnLogSince(from, allocated)).toContain(allocated);
  });

  it('refuses an expired credential and a tampered one: 401 from coturn, no relay candidate', async () => {
    const { username } = access.guest.turn;
    const expiredUsername = `${Math.floor(Date.now() / 1000) - 60}:${access.guest.participantId}`;
    const refusals = {
      // Signed with the right secret, but its expiry has passed.
      expired: { urls: coturn!.urls, username: expiredUsername, credential: hmac(turnSecret, expiredUsername) },
      // The issued username with a credential that is not its HMAC under the secret.
      tampered: { urls: coturn!.urls, username, credential: hmac(`${turnSecret}x`, username) },
    };
    const page = await newPage('refused');
    for (const [what, credentials] of Object.entries(refusals)) {
      const from = coturn!.output().length;
      const refused = await probe(page, credentials);
      expect({ what, candidates: refused.candidates }).toEqual({ what, candidates: [] });
      expect(refused.gatheringState).toBe('complete');
      // Each URL's allocation failed, and only with 401 Unauthorized.
      expect({ what, urls: new Set(refused.errors.map((error) => error.url)) }).toEqual({ what, urls: new Set(coturn!.urls) });
      for (const error of refused.errors) expect({ what, errorCode: error.errorCode }).toEqual({ what, errorCode: 401 });
      // coturn itself answered 401 to the request carrying this username, and allocated nothing for it.
      const unauthorized = `user <${credentials.username}>: incoming packet message processed, error 401: Unauthorized`;
      const log = await coturnLogSince(from, unauthorized);
      if (!log.includes(unauthorized)) throw new Error(`coturn did not log a 401 for the ${what} credential:\n${JSON.stringify({ refused, log }, null, 2)}`);
      expect(log).not.toContain('ALLOCATE processed, success');
    }
  });

  it('connects guest and host through coturn only (relay candidates on both sides), with video both ways', async () => {
    const callStart = coturn!.output().length;
    for (const role of ['guest', 'host'] as const) {
      const page = await newPage(role);
      peers.set(role, page);
      await page.evaluate((start) => (globalThis as any).startPeer(start), {
        role,
        signalingUrl: access[role].signalingUrl,
        iceServers: [access[role].turn], // exactly what this participant's join answer gave it
      });
    }

    // The controlled side may select a pair before its own check of it has succeeded: wait for that too.
    await bothReach(
      'connected with inbound video frames over a succeeded selected pair',
      (peer, video, pair) => peer.connectionState === 'connected' && video.framesDecoded > 0 && pair?.state === 'succeeded',
    );

    const relayedBy = coturn!.output().slice(callStart);
    const selected = {} as Record<Role, SelectedPair>;
    for (const role of ['guest', 'host'] as const) {
      const peer = await state(role);
      expect(peer.errors).toEqual([]);
      expect(peer.candidateErrors).toEqual([]);
      expect(peer.candidateTypes.length).toBeGreaterThan(0);
      expect(new Set(peer.candidateTypes)).toEqual(new Set(['relay']));
      const pair = await selectedPair(role);
      expect(pair).toMatchObject({ state: 'succeeded', local: { candidateType: 'relay', address: TURN_HOST }, remote: { candidateType: 'relay', address: TURN_HOST } });
      expect(coturn!.urls).toContain(pair!.local.url);
      expect(pair!.bytesSent).toBeGreaterThan(0);
      expect(pair!.bytesReceived).toBeGreaterThan(0);
      selected[role] = pair!;
      // The selected local address is one coturn allocated for this call, under this participant's username.
      expect(relayedBy).toContain(`Local relay addr: ${TURN_HOST}:${pair!.local.port}`);
      expect(relayedBy).toContain(`username=<${access[role].turn.username}>, lifetime=`);
      expect((await inboundVideo(role)).bytesReceived).toBeGreaterThan(0);
    }
    // Each side's remote candidate is the other side's relayed address: relay to relay, both in coturn.
    expect(selected.guest.remote.port).toBe(selected.host.local.port);
    expect(selected.host.remote.port).toBe(selected.guest.local.port);
    expect(pageErrors).toEqual([]);

    // Closing the connections deallocates; coturn then logs, per allocation, the bytes it relayed from
    // and to the peer. Every byte a page counted on its selected pair so far went through its
    // participant's allocations: coturn must have relayed at least as much, both ways.
    for (const page of peers.values()) await page.evaluate(() => (globalThis as any).pc.close());
    const carried = (role: Role) => peerUsage(coturn!.output()).get(access[role].turn.username) ?? { received: 0, sent: 0 };
    const accounted = (role: Role) => carried(role).received >= selected[role].bytesReceived && carried(role).sent >= selected[role].bytesSent;
    await eventually(() => Promise.resolve(accounted('guest') && accounted('host')), Boolean, 10_000, 200);
    for (const role of ['guest', 'host'] as const) {
      if (!accounted(role)) {
        throw new Error(`coturn's peer usage for the ${role} (${JSON.stringify(carried(role))}) is less than its selected pair carried (${JSON.stringify(selected[role])})`);
      }
    }
  });
});

/** coturn's "peer usage" lines (written when an allocation ends): bytes relayed from and to peers, by username. */
function peerUsage(log: string): Map<string, { received: number; sent: number }> {
  const usage = new Map<string, { received: number; sent: number }>();
  for (const [, username, rb, sb] of log.matchAll(/peer usage: realm=<[^>]*>, username=<([^>]*)>, rp=\d+, rb=(\d+), sp=\d+, sb=(\d+)/g)) {
    const total = usage.get(username) ?? { received: 0, sent: 0 };
    usage.set(username, { received: total.received + Number(rb), sent: total.sent + Number(sb) });
  }
  return usage;
}
