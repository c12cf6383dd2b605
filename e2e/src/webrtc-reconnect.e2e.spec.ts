import { HttpClient, reach, registerAccount, sleep } from '@vidivo/testing';
import type { Browser, Page } from 'playwright-core';
import { PlatformUnderTest } from './platform-under-test';
import { PeerPageServer } from './webrtc/peer-page.server';
import { PeerPageSession, startPeerPageSession } from './webrtc/peer-page-session';
import { join } from 'node:path';

type Role = 'guest' | 'host';

/** What reconnect-peer.html keeps in window.peer. */
interface PeerState {
  role: Role;
  connectionState: string;
  connectionStates: string[];
  signalingState: string;
  sockets: Array<{ state: 'connecting' | 'open' | 'closed'; closeCode: number | null }>;
  received: Received[];
  sent: string[];
  callEnded: { call: { id: string; status: string } } | null;
  remoteTracks: number;
  errors: string[];
  /** What happened in the page, in order (shown when a wait fails). */
  log: string[];
}
interface Received {
  socket: number;
  type: string;
  role?: Role;
  marker?: number;
}
interface InboundVideo {
  mid: string;
  framesDecoded: number;
  bytesReceived: number;
}
interface IceUfrags {
  local: string | null;
  remote: string | null;
}
interface Snapshot {
  peer: PeerState;
  video: InboundVideo[];
  /** The ICE username fragments of the current descriptions (they change with an ICE restart). */
  ice: IceUfrags;
}

/** The resume grace the platform runs with (decision 29's SIGNAL_RESUME_SECONDS). */
const GRACE_MS = 10_000;
/** How long the guest stays away from signaling while the media is watched. */
const AWAY_MS = 3_000;
/** Any one wait for the pages. */
const WAIT_MS = 15_000;
/** A 4xxx close: a browser may only send 1000 or 3000–4999, and 1000 (or a tab's 1001) is a goodbye. */
const DROP_CODE = 4100;
/** Signaling counts as quiet when nothing came for this long. */
const QUIET_MS = 500;

const frames = (video: InboundVideo[]) => video.reduce((sum, stream) => sum + stream.framesDecoded, 0);

/**
 * Decision 29 with real browsers: the guest page loses its signaling socket (no goodbye) while the
 * call's media runs peer to peer. The host hears `peer_reconnecting`, the media keeps flowing, the
 * guest comes back with a fresh signaling token and gets what the host sent meanwhile, and the two
 * renegotiate over the new connection. A closed tab, by contrast, is a goodbye.
 */
describe('a WebRTC call through a signaling reconnect (standalone, decision 29)', () => {
  let session: PeerPageSession | undefined;
  let platform: PlatformUnderTest | undefined;
  let pageServer: PeerPageServer | undefined;
  let browser: Browser | undefined;
  let api: HttpClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The page asks the API for signaling tokens itself, so its origin must pass CORS.
    session = await startPeerPageSession(join(__dirname, 'webrtc-reconnect/reconnect-peer.html'), (pageOrigin) => ({
      SIGNAL_RESUME_SECONDS: String(GRACE_MS / 1000),
      CORS_ORIGINS: pageOrigin,
    }));
    ({ platform, pageServer, browser, api } = session);
  }, 60_000);

  afterAll(() => session?.stop());

  /** A call with a paying guest (who gets a guest_token) and its host joined. */
  async function startCall() {
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    const joined = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa', guest_name: 'Grace' });
    expect(joined.status).toBe(201);
    expect(typeof joined.body.guest_token).toBe('string');
    const callId: string = joined.body.call.id;
    const hostJoined = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoined.status).toBe(201);
    const signalingUrl = (access: { signaling_url: string; signaling_token: string }) => {
      const url = new URL(access.signaling_url);
      url.searchParams.set('token', access.signaling_token);
      return url.toString();
    };
    return {
      callId,
      host,
      guestToken: joined.body.guest_token as string,
      urls: { guest: signalingUrl(joined.body), host: signalingUrl(hostJoined.body) } as Record<Role, string>,
    };
  }

  /** Opens both pages, guest first, each with its camera, peer connection and signaling socket. */
  async function openPages(urls: Record<Role, string>): Promise<Record<Role, Page>> {
    const pages = {} as Record<Role, Page>;
    for (const role of ['guest', 'host'] as const) {
      const page = await browser!.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${role} console: ${message.text()}`));
      await page.goto(pageServer!.url);
      await page.evaluate((start) => (globalThis as any).startPeer(start), { role, signalingUrl: urls[role] });
      pages[role] = page;
    }
    return pages;
  }

  /** One page's state, taken at one moment (one task in the page), so its parts agree with each other. */
  const snapshot = (page: Page) => page.evaluate(() => (globalThis as any).snapshot() as Promise<Snapshot>);

  /** Polls the pages until `done` holds, or fails showing what each page got to. */
  function pagesReach(pages: Partial<Record<Role, Page>>, what: string, done: (state: Record<Role, Snapshot>) => boolean, pollMs = 200): Promise<Record<Role, Snapshot>> {
    return reach(
      async () => {
        const state: Partial<Record<Role, Snapshot>> = {};
        for (const role of ['guest', 'host'] as const) if (pages[role]) state[role] = await snapshot(pages[role]);
        return state as Record<Role, Snapshot>;
      },
      done,
      (last) => `the pages did not reach "${what}" in ${WAIT_MS / 1000} s:\n${JSON.stringify({ ...last, pageErrors }, null, 2)}`,
      WAIT_MS,
      pollMs,
    );
  }

  /** Waits until no signaling frame has reached either page for QUIET_MS (negotiation is done, late candidates are in). */
  async function quiet(pages: Record<Role, Page>): Promise<void> {
    let heard = '';
    await pagesReach(
      pages,
      'signaling quiet',
      (state) => {
        const now = `${state.guest.peer.received.length}/${state.host.peer.received.length}`;
        const still = now === heard;
        heard = now;
        return still;
      },
      QUIET_MS,
    );
  }

  const types = (received: Received[], socket?: number) => received.filter((frame) => socket === undefined || frame.socket === socket).map((frame) => frame.type);

  it('keeps the media through a dropped guest socket, resumes with a fresh token, delivers what was sent meanwhile in order, and renegotiates', async () => {
    const call = await startCall();
    const pages = await openPages(call.urls);
    const { guest, host } = pages;
    const media = (state: Record<Role, Snapshot>) =>
      (['guest', 'host'] as const).every((role) => state[role].peer.connectionState === 'connected' && frames(state[role].video) > 0);
    const before = await pagesReach(pages, 'connected with video decoded both ways', media);
    expect(before.guest.peer.received).toContainEqual({ socket: 0, type: 'peer_joined', role: 'host' });
    expect(before.host.peer.received).toContainEqual({ socket: 0, type: 'peer_joined', role: 'guest' });
    await quiet(pages);
    const hostHeardBefore = (await snapshot(host)).peer.received.length;

    // The drop: the guest's socket closes with 4100, which is no goodbye (decision 29: only 1000, 1001 or `leave` are).
    const droppedAt = Date.now();
    expect(await guest.evaluate((code) => (globalThis as any).dropSignaling(code) as Promise<number>, DROP_CODE)).toBe(DROP_CODE);
    const reconnecting = await pagesReach(pages, 'peer_reconnecting at the host', (state) => state.host.peer.received.length > hostHeardBefore);
    expect(reconnecting.host.peer.received.slice(hostHeardBefore)).toEqual([{ socket: 0, type: 'peer_reconnecting', role: 'guest' }]);

    // Away from signaling, the call goes on peer to peer: frames keep being decoded on both sides.
    const awayFrom = await Promise.all([snapshot(guest), snapshot(host)]);
    const statesDuringGap: string[] = [];
    for (let waited = 0; waited < AWAY_MS; waited += 500) {
      await sleep(500);
      for (const page of [guest, host]) statesDuringGap.push((await snapshot(page)).peer.connectionState);
    }
    const awayTo = await Promise.all([snapshot(guest), snapshot(host)]);
    expect(new Set(statesDuringGap)).toEqual(new Set(['connected']));
    for (const side of [0, 1]) expect(awayTo[side].peer.connectionStates).toEqual(awayFrom[side].peer.connectionStates); // not even a blip
    for (const side of [0, 1]) expect(frames(awayTo[side].video) - frames(awayFrom[side].video)).toBeGreaterThanOrEqual(10);
    expect(awayTo[0].peer.sockets[0]).toEqual({ state: 'closed', closeCode: DROP_CODE });

    // What the host says meanwhile waits for the guest: three marker candidates, in this order.
    for (const marker of [1, 2, 3]) await host.evaluate((n) => (globalThis as any).sendMarker(n), marker);
    await sleep(200);
    expect((await snapshot(guest)).peer.received.filter((frame) => frame.marker !== undefined)).toEqual([]);

    // The guest comes back with a fresh signaling token from the API (its guest token), on a new socket.
    expect(
      await guest.evaluate((resume) => (globalThis as any).resumeSignaling(resume) as Promise<number>, {
        apiBaseUrl: platform!.baseUrl,
        callId: call.callId,
        accessToken: call.guestToken,
      }),
    ).toBe(1);
    const resumed = await pagesReach(
      pages,
      'peer_reconnected at the host, peer_joined and the markers at the guest',
      (state) => types(state.host.peer.received).includes('peer_reconnected') && state.guest.peer.received.filter((frame) => frame.socket === 1).length >= 4,
    );
    expect(Date.now() - droppedAt).toBeLessThan(GRACE_MS);
    expect(resumed.host.peer.received.slice(hostHeardBefore)).toEqual([
      { socket: 0, type: 'peer_reconnecting', role: 'guest' },
      { socket: 0, type: 'peer_reconnected', role: 'guest' },
    ]);
    expect(resumed.guest.peer.received.filter((frame) => frame.socket === 1)).toEqual([
      { socket: 1, type: 'peer_joined', role: 'host' },
      { socket: 1, type: 'ice_candidate', marker: 1 },
      { socket: 1, type: 'ice_candidate', marker: 2 },
      { socket: 1, type: 'ice_candidate', marker: 3 },
    ]);

    // Renegotiation over the new connection, from the host: a second camera, whose frames the guest decodes.
    await host.evaluate(() => (globalThis as any).addSecondCamera());
    const twoTracks = await pagesReach(
      pages,
      "the host's second camera decoded at the guest",
      (state) =>
        state.guest.video.length === 2 &&
        state.guest.video.every((stream) => stream.framesDecoded > 0) &&
        (['guest', 'host'] as const).every((role) => state[role].peer.signalingState === 'stable' && state[role].peer.connectionState === 'connected'),
    );
    expect(types(twoTracks.guest.peer.received, 1)).toEqual(['peer_joined', 'ice_candidate', 'ice_candidate', 'ice_candidate', 'offer']);
    expect(types(twoTracks.host.peer.received.slice(hostHeardBefore))).toEqual(['peer_reconnecting', 'peer_reconnected', 'answer']);
    expect(twoTracks.guest.peer.remoteTracks).toBe(2);

    // And from the guest, the impolite side: an ICE restart (new credentials both ways) over its new socket.
    const iceBefore = twoTracks.guest.ice;
    await guest.evaluate(() => (globalThis as any).restartIce());
    // Done when both sides hold the new credentials in their current descriptions (the answer is applied) and are connected.
    const restarted = await pagesReach(
      pages,
      'an ICE restart completed and connected',
      (state) =>
        state.guest.ice.local !== iceBefore.local &&
        state.guest.ice.remote !== iceBefore.remote &&
        state.host.ice.local === state.guest.ice.remote &&
        state.host.ice.remote === state.guest.ice.local &&
        (['guest', 'host'] as const).every((role) => state[role].peer.signalingState === 'stable' && state[role].peer.connectionState === 'connected'),
    );
    expect(restarted.guest.peer.sent.filter((type) => type === 'offer')).toHaveLength(2); // the first offer, and the restart's
    expect(types(restarted.host.peer.received.slice(hostHeardBefore)).slice(0, 4)).toEqual(['peer_reconnecting', 'peer_reconnected', 'answer', 'offer']);

    // Frames still flow both ways, the second camera's too, after everything.
    await sleep(1_000);
    const after = { guest: await snapshot(guest), host: await snapshot(host) };
    expect(frames(after.host.video)).toBeGreaterThan(frames(restarted.host.video));
    for (const stream of after.guest.video) {
      expect(stream.framesDecoded).toBeGreaterThan(restarted.guest.video.find((earlier) => earlier.mid === stream.mid)!.framesDecoded);
    }

    // The grace the drop started has been called off: no late peer_left once it would have run out.
    await sleep(Math.max(0, droppedAt + GRACE_MS + 1_000 - Date.now()));
    for (const role of ['guest', 'host'] as const) expect(types((await snapshot(pages[role])).peer.received)).not.toContain('peer_left');

    const ended = await api.post(`/v1/calls/${call.callId}/end`, { reason: 'host_ended' }, { token: call.host.token });
    expect(ended.status).toBe(200);
    const closed = await pagesReach(pages, 'call_ended and closed sockets', (state) =>
      (['guest', 'host'] as const).every((role) => state[role].peer.callEnded !== null && state[role].peer.sockets.every((socket) => socket.state === 'closed')),
    );
    for (const role of ['guest', 'host'] as const) {
      const { peer } = closed[role];
      expect(peer.callEnded!.call).toMatchObject({ id: call.callId, status: 'completed' });
      expect(peer.sockets.at(-1)!.closeCode).toBe(4001);
      expect(types(peer.received)).not.toContain('peer_left');
      expect(peer.errors).toEqual([]);
    }
    expect(closed.guest.peer.sockets.map((socket) => socket.closeCode)).toEqual([DROP_CODE, 4001]);
    expect(closed.host.peer.sockets).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    await Promise.all([guest.close(), host.close()]);
  }, 60_000);

  it('treats a closed tab as a goodbye: the browser closes with 1001 and the other peer hears peer_left at once', async () => {
    const call = await startCall();
    const pages = await openPages(call.urls);
    await pagesReach(pages, 'connected', (state) => (['guest', 'host'] as const).every((role) => state[role].peer.connectionState === 'connected'));
    // The tab closes once signaling is quiet: a tab closed while the server is writing to it often
    // reaches the server as 1006 (no close frame read), which is a drop, not a goodbye.
    await quiet(pages);
    const hostHeardBefore = (await snapshot(pages.host)).peer.received.length;
    // Only the server's own peer_* frames count here (negotiation frames may still be on their way).
    const presence = (received: Received[]) => received.filter((frame) => frame.type.startsWith('peer_'));

    const closedAt = Date.now();
    await pages.guest.close();
    const left = await pagesReach({ host: pages.host }, 'peer_left at the host', (state) => presence(state.host.peer.received.slice(hostHeardBefore)).length > 0);
    expect(Date.now() - closedAt).toBeLessThan(GRACE_MS / 2);
    expect(presence(left.host.peer.received.slice(hostHeardBefore))).toEqual([{ socket: 0, type: 'peer_left', role: 'guest' }]);

    const ended = await api.post(`/v1/calls/${call.callId}/end`, { reason: 'host_ended' }, { token: call.host.token });
    expect(ended.status).toBe(200);
    const closed = await pagesReach(
      { host: pages.host },
      'call_ended and a closed socket at the host',
      (state) => state.host.peer.callEnded !== null && state.host.peer.sockets[0].state === 'closed',
    );
    expect(closed.host.peer.sockets).toEqual([{ state: 'closed', closeCode: 4001 }]);
    expect(closed.host.peer.errors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await pages.host.close();
  }, 30_000);
});
