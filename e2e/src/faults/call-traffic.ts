import { Account, HttpClient, HttpResponse, sleep } from '@vidivo/testing';
import { randomUUID } from 'node:crypto';

/**
 * A client as a well-behaved integrator writes one: it retries a 503 after its Retry-After, a
 * connection refused or reset (an edge restarting), and a 409 for an idempotency key whose first
 * request is still running, always with the same X-Idempotency-Key, for up to two minutes (the
 * gateway holds a key cut by a crash for 60 s).
 */
const RETRY_FOR_MS = 120_000;
const RETRY_AFTER_CAP_MS = 2_000;
const CONNECTION_RETRY_MS = 250;

/** What the traffic saw: the figures of the README and what the scenario asserts. */
export interface TrafficTally {
  lifecycles: number;
  requests: number;
  /** 503 answers (each with code service_unavailable and a Retry-After header, else listed in `problems`). */
  serviceUnavailable: number;
  /** Refused or reset connections (the gateway down). */
  connectionErrors: number;
  /** Retries of a key still held by a request a crash cut. */
  keyInProgress: number;
  /** Any other 5xx, with where and what: a scenario fails on any. */
  serverErrors: string[];
  /** Answers no retry explains (a 4xx that should not be, a call in a wrong state). */
  problems: string[];
  /** Calls a join answered for, and the link each was joined on. */
  calls: { id: string; linkId: string }[];
  links: string[];
  /** ms from the start of the traffic to each finished lifecycle, to see when traffic flowed again. */
  finishedAt: number[];
}

export const emptyTally = (): TrafficTally => ({
  lifecycles: 0,
  requests: 0,
  serviceUnavailable: 0,
  connectionErrors: 0,
  keyInProgress: 0,
  serverErrors: [],
  problems: [],
  calls: [],
  links: [],
  finishedAt: [],
});

interface Sent {
  response: HttpResponse;
  attempts: number;
}

/** Concurrent call lifecycles (link, join with a test card, host-join, end) until stopped. */
export class CallTraffic {
  readonly tally = emptyTally();
  private stopped = false;
  private readonly workers: Promise<void>[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly api: HttpClient,
    private readonly hosts: Account[],
  ) {}

  /** `concurrency` lifecycles at a time, each worker starting its next one when its last ended. */
  start(concurrency: number): void {
    for (let worker = 0; worker < concurrency; worker++) this.workers.push(this.loop(worker));
  }

  /** Stops starting lifecycles and waits for those under way to finish. */
  async stop(): Promise<TrafficTally> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.tally;
  }

  private async loop(worker: number): Promise<void> {
    while (!this.stopped) {
      try {
        await this.lifecycle(this.hosts[worker % this.hosts.length], worker);
        this.tally.lifecycles += 1;
        this.tally.finishedAt.push(Date.now() - this.startedAt);
      } catch (error) {
        this.tally.problems.push((error as Error).message);
      }
      await sleep(100);
    }
  }

  private async lifecycle(host: Account, worker: number): Promise<void> {
    const link = await this.send('POST', '/v1/calls/links', { rate_per_minute: '1.50', window_size_minutes: 5 }, host.token);
    if (link.response.status !== 201) throw this.unexpected('create link', link);
    this.tally.links.push(link.response.body.id);

    const guest = { payment_method_id: 'pm_card_visa', guest_name: `Guest ${worker}`, guest_email: `guest${worker}@example.com` };
    const joined = await this.send('POST', `/v1/calls/join/${link.response.body.short_code}`, guest);
    if (joined.response.status !== 201) throw this.unexpected('join', joined);
    const callId: string = joined.response.body.call.id;
    this.tally.calls.push({ id: callId, linkId: link.response.body.id });

    const hostJoined = await this.send('POST', `/v1/calls/${callId}/host-join`, undefined, host.token);
    if (hostJoined.response.status !== 201 && !(await this.explainedConflict(hostJoined, callId, host, ['active']))) throw this.unexpected('host-join', hostJoined);
    await sleep(Math.floor(Math.random() * 500));

    const ended = await this.send('POST', `/v1/calls/${callId}/end`, { reason: 'host_ended' }, host.token);
    if (ended.response.status !== 200 && !(await this.explainedConflict(ended, callId, host, ['completed']))) throw this.unexpected('end', ended);
  }

  /**
   * A 409 after a retry: the first attempt may have gone through before its answer was lost (a
   * crash between the change and the reply). Explained when the call is in the state that attempt
   * would have left it in (or later).
   */
  private async explainedConflict(sent: Sent, callId: string, host: Account, states: string[]): Promise<boolean> {
    if (sent.response.status !== 409 || sent.attempts === 1) return false;
    const call = await this.send('GET', `/v1/calls/${callId}`, undefined, host.token);
    return call.response.status === 200 && [...states, 'completed'].includes(call.response.body.status);
  }

  private unexpected(step: string, sent: Sent): Error {
    return new Error(`${step}: ${sent.response.status} ${sent.response.text.slice(0, 300)} (after ${sent.attempts} attempt(s))`);
  }

  /** One request, retried as the client above does; POSTs carry one idempotency key across retries. */
  private async send(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<Sent> {
    const headers: Record<string, string> = method === 'POST' ? { 'x-idempotency-key': randomUUID() } : {};
    const deadline = Date.now() + RETRY_FOR_MS;
    for (let attempts = 1; ; attempts++) {
      let response: HttpResponse;
      try {
        this.tally.requests += 1;
        response = await this.api.request(method, path, body, { token, headers });
      } catch {
        this.tally.connectionErrors += 1;
        if (Date.now() > deadline) throw new Error(`${method} ${path}: no connection for ${RETRY_FOR_MS / 1000} s`);
        await sleep(CONNECTION_RETRY_MS);
        continue;
      }
      const retry = this.retryDelay(method, path, response);
      if (retry === undefined) return { response, attempts };
      if (Date.now() > deadline) return { response, attempts };
      await sleep(retry);
    }
  }

  /** How long to wait before retrying this answer, or undefined when it is final. */
  private retryDelay(method: string, path: string, response: HttpResponse): number | undefined {
    const code: string | undefined = response.body?.error?.code;
    if (response.status === 503) {
      this.tally.serviceUnavailable += 1;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (code !== 'service_unavailable' || !(retryAfter > 0))
        this.tally.problems.push(`${method} ${path}: 503 with code ${code} and Retry-After ${response.headers.get('retry-after')}`);
      return Math.min(RETRY_AFTER_CAP_MS, (retryAfter || 1) * 1000);
    }
    if (response.status >= 500) {
      this.tally.serverErrors.push(`${method} ${path}: ${response.status} ${response.text.slice(0, 300)}`);
      return 1_000;
    }
    if (response.status === 409 && /idempotency key/i.test(response.body?.error?.message ?? '')) {
      this.tally.keyInProgress += 1;
      return 1_000;
    }
    return undefined;
  }
}
