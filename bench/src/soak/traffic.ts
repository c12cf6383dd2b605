import { ALWAYS_OPEN_AVAILABILITY, HttpClient, HttpResponse } from '@vidivo/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { closePairs, burst, connectPairs } from '../signaling/load';

/** One round of every worker, in this order; each kind counts as one operation. */
export const OPERATION_KINDS = ['lifecycle', 'slots 7d', 'slots 62d', 'book+cancel', 'signaling pair'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const noOperations = (): Record<OperationKind, number> => Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, 0])) as Record<OperationKind, number>;

/** Each worker books and cancels, round after round, the same few slots of its host (a cancelled slot is free again). */
const BOOKING_SLOTS = 16;
/** Bookings go this far ahead, away from the calls of the lifecycles. */
const BOOKING_DAYS_AHEAD = 20;
/** Errors printed as they happen; the rest are only counted. */
const ERRORS_PRINTED = 10;

/** What one worker acts as: a host with a link and an availability, and a registered guest who books it. */
interface Cast {
  hostToken: string;
  username: string;
  shortCode: string;
  guestToken: string;
}

class UnexpectedAnswer extends Error {}

function expect2xx(step: string, response: HttpResponse): HttpResponse {
  if (response.status < 200 || response.status > 299) throw new UnexpectedAnswer(`${step} answered ${response.status}: ${response.text.slice(0, 200)}`);
  return response;
}

/** `YYYY-MM-DD` of today plus `days` (UTC). */
const dateFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The soak's traffic: `workers` loops, each with its own host, running one round of every
 * operation kind and then waiting for the next round's turn, so the rate stays fixed (a worker
 * that falls behind starts its next round at once, it does not catch up in a burst). Counts what
 * completed, by kind, and every unexpected answer or exception; a failed operation ends its round
 * step only, the worker goes on.
 */
export class SoakTraffic {
  readonly completed = noOperations();
  errors = 0;
  private readonly stopping = new AbortController();

  private constructor(
    private readonly api: HttpClient,
    private readonly signalingUrl: (token: string) => string,
    private readonly casts: Cast[],
    private readonly bookingBase: number,
  ) {}

  /** One host (link, availability all week) and one guest account per worker. */
  static async prepare(baseUrl: string, workers: number): Promise<SoakTraffic> {
    const api = new HttpClient(baseUrl);
    const casts = await Promise.all(
      Array.from({ length: workers }, async (_, worker): Promise<Cast> => {
        const username = `soak_host_${worker}`;
        const host = expect2xx(
          'register host',
          await api.post('/v1/auth/register', { email: `${username}@example.com`, password: 'soak password', username, display_name: `Soak Host ${worker}`, role: 'host' }),
        );
        const hostToken: string = host.body.access_token;
        const link = expect2xx('create link', await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 10 }, { token: hostToken }));
        const availability = { timezone: 'UTC', rate_per_minute: '1.00', window_size_minutes: 10, slot_minutes: 30, weekly: ALWAYS_OPEN_AVAILABILITY.weekly };
        expect2xx('availability', await api.put('/v1/schedule/availability', availability, { token: hostToken }));
        const guest = expect2xx('register guest', await api.post('/v1/auth/guest', {}));
        return { hostToken, username, shortCode: link.body.short_code, guestToken: guest.body.access_token };
      }),
    );
    const bookingBase = Date.parse(`${dateFromNow(BOOKING_DAYS_AHEAD)}T00:00:00Z`);
    const signalingUrl = (token: string) => `${baseUrl.replace(/^http/, 'ws')}/signal/ws?token=${encodeURIComponent(token)}`;
    return new SoakTraffic(api, signalingUrl, casts, bookingBase);
  }

  /** Runs every worker until stop(); worker i starts i/workers of a round late, so the rounds spread out. */
  async run(roundMs: number): Promise<void> {
    await Promise.all(
      this.casts.map(async (cast, worker) => {
        await this.pause((roundMs * worker) / this.casts.length);
        for (let round = 0; !this.stopped; round++) {
          const started = performance.now();
          for (const kind of OPERATION_KINDS) {
            if (this.stopped) break;
            await this.attempt(kind, () => this.operation(kind, cast, round));
          }
          await this.pause(roundMs - (performance.now() - started));
        }
      }),
    );
  }

  /** Workers finish the operation under way and start no other. */
  stop(): void {
    this.stopping.abort();
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return;
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private async attempt(kind: OperationKind, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.completed[kind]++;
    } catch (error) {
      if (++this.errors <= ERRORS_PRINTED) console.log(`  soak error (${kind}): ${error instanceof UnexpectedAnswer ? error.message : String(error)}`);
    }
  }

  private operation(kind: OperationKind, cast: Cast, round: number): Promise<void> {
    switch (kind) {
      case 'lifecycle':
        return this.lifecycle(cast);
      case 'slots 7d':
        return this.slots(cast, 7);
      case 'slots 62d':
        return this.slots(cast, 62);
      case 'book+cancel':
        return this.bookAndCancel(cast, round);
      case 'signaling pair':
        return this.lifecycle(cast, (tokens) => this.signalingPair(tokens));
    }
  }

  /** join (anonymous guest, test card) → host-join → end; `during` runs while the call is active. */
  private async lifecycle(cast: Cast, during?: (tokens: { guest: string; host: string }) => Promise<void>): Promise<void> {
    const joined = expect2xx('join', await this.api.post(`/v1/calls/join/${cast.shortCode}`, { payment_method_id: 'pm_card_visa' }));
    const callId: string = joined.body.call.id;
    const hostJoined = expect2xx('host-join', await this.api.post(`/v1/calls/${callId}/host-join`, undefined, { token: cast.hostToken }));
    try {
      await during?.({ guest: joined.body.signaling_token, host: hostJoined.body.signaling_token });
    } finally {
      expect2xx('end', await this.api.post(`/v1/calls/${callId}/end`, {}, { token: cast.hostToken }));
    }
  }

  /** Both sides connect, hear peer_joined, relay an offer, an answer and ICE candidates, and hang up. */
  private async signalingPair(tokens: { guest: string; host: string }): Promise<void> {
    const { pairs } = await connectPairs([{ guest: this.signalingUrl(tokens.guest), host: this.signalingUrl(tokens.host) }], 1);
    try {
      await burst(pairs);
    } finally {
      await closePairs(pairs);
    }
  }

  private async slots(cast: Cast, days: number): Promise<void> {
    expect2xx(`slots ${days}d`, await this.api.get(`/v1/schedule/${cast.username}?start_date=${dateFromNow(1)}&end_date=${dateFromNow(days)}`));
  }

  private async bookAndCancel(cast: Cast, round: number): Promise<void> {
    const scheduledAt = new Date(this.bookingBase + (round % BOOKING_SLOTS) * 30 * 60_000).toISOString();
    const booked = expect2xx(
      'book',
      await this.api.post('/v1/schedule/book', { host_username: cast.username, scheduled_at: scheduledAt, duration_minutes: 30 }, { token: cast.guestToken }),
    );
    expect2xx('cancel', await this.api.put(`/v1/schedule/${booked.body.id}/cancel`, { reason: 'soak' }, { token: cast.guestToken }));
  }
}
