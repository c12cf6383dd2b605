import { HttpClient, reach, registerAccount } from '@vidivo/testing';
import type { Browser, Page } from 'playwright-core';
import { PlatformUnderTest } from './platform-under-test';
import { PeerPageServer } from './webrtc/peer-page.server';
import { PeerPageSession, startPeerPageSession } from './webrtc/peer-page-session';
import { join } from 'node:path';

type Role = 'guest' | 'host';

/** What peer.html keeps in window.peer. */
interface PeerState {
  role: Role;
  connectionState: RTCPeerConnectionState;
  iceConnectionState: string;
  signalingState: string;
  socketState: 'idle' | 'open' | 'closed';
  closeCode: number | null;
  received: string[];
  sent: string[];
  callEnded: { call: { id: string; status: string } } | null;
  framesRendered: number;
  errors: string[];
}
type RTCPeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

interface InboundVideo {
  framesDecoded: number;
  bytesReceived: number;
}

const WAIT_MS = 30_000;

/**
 * A real call: two Chromium pages with fake cameras talk peer to peer over WebRTC, negotiated
 * through the standalone app's /signal/ws (decisions 15 and 20), and hear `call_ended` when the
 * host ends the call over REST.
 */
describe('a WebRTC call between two browsers through our signaling (standalone)', () => {
  let session: PeerPageSession | undefined;
  let platform: PlatformUnderTest | undefined;
  let pageServer: PeerPageServer | undefined;
  let browser: Browser | undefined;
  let api: HttpClient;
  const pages = new Map<Role, Page>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await startPeerPageSession(join(__dirname, 'webrtc/peer.html'));
    ({ platform, pageServer, browser, api } = session);
  }, 60_000);

  afterAll(() => session?.stop());

  const state = (role: Role) => pages.get(role)!.evaluate(() => (globalThis as any).peer as PeerState);
  const inboundVideo = (role: Role) => pages.get(role)!.evaluate(() => (globalThis as any).inboundVideo() as Promise<InboundVideo>);

  /** Polls both pages until `done` holds for each, or fails showing what each page got to. */
  async function bothReach(what: string, done: (peer: PeerState, video: InboundVideo) => boolean): Promise<void> {
    await reach(
      async () => {
        const [guest, host] = await Promise.all((['guest', 'host'] as const).map(async (role) => ({ peer: await state(role), video: await inboundVideo(role) })));
        return { guest, host };
      },
      ({ guest, host }) => done(guest.peer, guest.video) && done(host.peer, host.video),
      (last) => `both pages did not reach "${what}" in ${WAIT_MS / 1000} s:\n${JSON.stringify({ ...last, pageErrors }, null, 2)}`,
      WAIT_MS,
      250,
    );
  }

  it('connects guest and host peer to peer, sends video both ways, and closes both on call_ended', async () => {
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    const joined = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa' });
    expect(joined.status).toBe(201);
    const callId: string = joined.body.call.id;
    const hostJoined = await api.post(`/v1/calls/${callId}/host-join`, undefined, { token: host.token });
    expect(hostJoined.status).toBe(201);

    // The pages open exactly the signaling_url the API hands out (standalone: its own port).
    expect(hostJoined.body.signaling_url).toBe(joined.body.signaling_url);
    expect(new URL(joined.body.signaling_url).port).toBe(new URL(platform!.baseUrl).port);
    const signalingUrl = (token: string) => {
      const url = new URL(joined.body.signaling_url);
      url.searchParams.set('token', token);
      return url.toString();
    };

    // Guest first, as in the sequence of docs/api/signaling.md; the server introduces them once both are there.
    for (const [role, token] of [
      ['guest', joined.body.signaling_token],
      ['host', hostJoined.body.signaling_token],
    ] as const) {
      const page = await browser!.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${role} console: ${message.text()}`));
      pages.set(role, page);
      await page.goto(pageServer!.url);
      await page.evaluate((start) => (globalThis as any).startPeer(start), { role, signalingUrl: signalingUrl(token) });
    }

    await bothReach('connected with inbound video frames', (peer, video) => peer.connectionState === 'connected' && video.framesDecoded > 0);
    const [guest, hostPeer] = [await state('guest'), await state('host')];
    expect(guest.received).toContain('peer_joined');
    expect(hostPeer.received).toContain('peer_joined');
    expect(guest.sent).toContain('offer');
    expect(hostPeer.received).toContain('offer');
    expect(hostPeer.sent).toContain('answer');
    expect(guest.received).toContain('answer');
    expect(guest.received).toContain('ice_candidate');
    expect(hostPeer.received).toContain('ice_candidate');
    for (const role of ['guest', 'host'] as const) expect((await inboundVideo(role)).bytesReceived).toBeGreaterThan(0);

    const ended = await api.post(`/v1/calls/${callId}/end`, { reason: 'host_ended' }, { token: host.token });
    expect(ended.status).toBe(200);
    await bothReach('call_ended and a closed socket', (peer) => peer.callEnded !== null && peer.socketState === 'closed');
    for (const role of ['guest', 'host'] as const) {
      const peer = await state(role);
      expect(peer.callEnded!.call).toMatchObject({ id: callId, status: 'completed' });
      expect(peer.closeCode).toBe(4001);
      expect(peer.errors).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
