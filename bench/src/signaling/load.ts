import { WebSocket } from 'ws';
import { Samples, runConcurrently } from '../stats';

/** One call's two sides: where each connects. */
export interface PairUrls {
  guest: string;
  host: string;
}

/** Per pair: 1 offer + 10 ICE candidates from the guest, 1 answer + 10 ICE candidates from the host. */
export const ICE_PER_SIDE = 10;
export const MESSAGES_PER_PAIR = 2 * (1 + ICE_PER_SIDE);

const CONNECT_TIMEOUT_MS = 60_000;
const BURST_TIMEOUT_MS = 120_000;

// About 3 KB of SDP and 200 B per candidate; the send time (performance.now() in this process) goes last
// in the payload, where the receiver finds it without parsing the whole frame.
const SDP = JSON.stringify(
  [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream',
    ...Array.from({ length: 60 }, (_, i) => `a=rtpmap:${96 + i} VP8/90000 a=rtcp-fb:${96 + i} nack pli`),
  ]
    .join('\r\n')
    .slice(0, 3000),
);
const CANDIDATE = JSON.stringify(
  'candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 10.0.0.5 rport 54321 generation 0 ufrag EsAw network-id 1 network-cost 10',
);
const offer = () => `{"type":"offer","payload":{"type":"offer","sdp":${SDP},"t":${performance.now()}}}`;
const answer = () => `{"type":"answer","payload":{"type":"answer","sdp":${SDP},"t":${performance.now()}}}`;
const ice = () => `{"type":"ice_candidate","payload":{"candidate":${CANDIDATE},"sdpMid":"0","sdpMLineIndex":0,"t":${performance.now()}}}`;
const OFFER_PREFIX = '{"type":"offer"';
const SERVER_PREFIXES = ['{"type":"peer_joined"', '{"type":"peer_left"', '{"type":"error"', '{"type":"call_ended"'];

/** One client socket: resolves `paired` on peer_joined, hands relayed frames to `onRelayed`. */
class Peer {
  readonly socket: WebSocket;
  readonly paired: Promise<void>;
  onRelayed: (raw: string) => void = () => undefined;
  problem?: string;

  constructor(url: string) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.paired = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${url.split('?')[0]}: no peer_joined within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        this.problem ??= why;
        reject(new Error(why));
      };
      this.socket.on('error', (error) => fail(`socket error: ${error.message}`));
      this.socket.on('close', (code, reason) => fail(`closed ${code} ${reason.toString()}`));
      this.socket.on('message', (data: Buffer) => {
        const raw = data.toString();
        if (!SERVER_PREFIXES.some((prefix) => raw.startsWith(prefix))) return this.onRelayed(raw);
        if (raw.startsWith(SERVER_PREFIXES[0])) {
          clearTimeout(timer);
          resolve();
        } else {
          this.problem ??= `server said ${raw.slice(0, 200)}`;
        }
      });
    });
    this.paired.catch(() => undefined);
  }

  send(raw: string): void {
    this.socket.send(raw);
  }
}

export interface ConnectedPair {
  guest: Peer;
  host: Peer;
}

/** Opens every pair, `concurrency` pairs at a time; done once both sides of every pair heard peer_joined. */
export async function connectPairs(urls: PairUrls[], concurrency: number): Promise<{ pairs: ConnectedPair[]; ms: number }> {
  const pairs: ConnectedPair[] = [];
  const ms = await runConcurrently(urls.length, concurrency, async (index) => {
    const pair = { guest: new Peer(urls[index].guest), host: new Peer(urls[index].host) };
    pairs.push(pair);
    await Promise.all([pair.guest.paired, pair.host.paired]);
  });
  return { pairs, ms };
}

export interface BurstResult {
  messages: number;
  ms: number;
  latency: Samples;
}

/**
 * Every pair at once: the guest sends its offer and candidates; the host, on the offer, sends its
 * answer and candidates. Latency is from the send call to the receiver's message event; the burst
 * ends when the last of the pairs' messages arrives.
 */
export function burst(pairs: ConnectedPair[]): Promise<BurstResult> {
  const expected = pairs.length * MESSAGES_PER_PAIR;
  const latency = new Samples();
  let received = 0;
  return new Promise((resolve, reject) => {
    let started = 0;
    const timer = setTimeout(() => {
      const problem = pairs.flatMap((pair) => [pair.guest.problem, pair.host.problem]).find(Boolean);
      reject(new Error(`burst: ${received} of ${expected} messages arrived within ${BURST_TIMEOUT_MS} ms${problem ? `; first problem: ${problem}` : ''}`));
    }, BURST_TIMEOUT_MS);
    const record = (raw: string) => {
      const now = performance.now();
      latency.add(now - parseFloat(raw.slice(raw.lastIndexOf('"t":') + 4)));
      if (++received === expected) {
        clearTimeout(timer);
        resolve({ messages: expected, ms: now - started, latency });
      }
    };
    for (const { guest, host } of pairs) {
      guest.onRelayed = record;
      host.onRelayed = (raw) => {
        record(raw);
        if (!raw.startsWith(OFFER_PREFIX)) return;
        host.send(answer());
        for (let i = 0; i < ICE_PER_SIDE; i++) host.send(ice());
      };
    }
    started = performance.now();
    for (const { guest } of pairs) {
      guest.send(offer());
      for (let i = 0; i < ICE_PER_SIDE; i++) guest.send(ice());
    }
  });
}

/** Drops every socket and waits until this side has seen them closed. */
export async function closePairs(pairs: ConnectedPair[]): Promise<void> {
  const sockets = pairs.flatMap((pair) => [pair.guest.socket, pair.host.socket]);
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.terminate();
        }),
    ),
  );
}
