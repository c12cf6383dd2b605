import { Clock } from './clock';
import { FormObject } from './form-params.decoder';
import { JournaledMap } from './state-journal';
import { StripeApiError } from './stripe-api.error';

/** A finished answer, kept byte for byte so a replay is exactly the first response. */
export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Request {
  method: string;
  path: string;
  params: FormObject;
}

export type IdempotencyEntry = { state: 'running' } | { state: 'done'; method: string; path: string; fingerprint: string; response: StoredResponse; storedAt: number };

export type Claim = { kind: 'replay'; response: StoredResponse } | { kind: 'run'; complete(response: StoredResponse): void; release(): void };

const KEY_LENGTH_MAX = 255;
const KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * Stripe's `Idempotency-Key` rules (https://docs.stripe.com/api/idempotent_requests): keys are
 * scoped to the secret key and kept 24 hours; the first answer of an executed request is saved and
 * replayed for the same endpoint and parameters; other parameters or another endpoint are an
 * `idempotency_error`; a key whose first request is still running is a 409 `idempotency_key_in_use`.
 * A request turned away before execution (validation, rate limiting) saves nothing. Age is
 * measured on the emulator's clock.
 */
export class IdempotencyStore {
  /** Only finished answers are journaled: a request cut by a restart was never answered, so its key is free again. */
  constructor(
    private readonly clock: Clock,
    private readonly entries: JournaledMap<IdempotencyEntry> = new JournaledMap(),
  ) {}

  /** After a restart: keys whose request was still running when the state was written are free again. */
  dropUnfinished(): void {
    for (const [key, entry] of this.entries) if (entry.state === 'running') this.entries.restore(key, undefined);
  }

  claim(apiKey: string, key: string, request: Request): Claim {
    if (key.length > KEY_LENGTH_MAX) {
      throw idempotencyError(`Idempotency keys can be at most ${KEY_LENGTH_MAX} characters long; yours is ${key.length}.`, 400, 'invalid_request_error');
    }
    const scoped = `${apiKey}\u0000${key}`;
    const fingerprint = canonicalJson(request.params);
    const entry = this.entries.get(scoped);
    if (entry?.state === 'running') {
      throw idempotencyError(
        `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        409,
        'invalid_request_error',
        'idempotency_key_in_use',
      );
    }
    if (entry?.state === 'done' && this.clock.nowMs() - entry.storedAt < KEPT_MS) {
      if (entry.method !== request.method || entry.path !== request.path) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.method} ${entry.path}' vs '${request.method} ${request.path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (entry.fingerprint !== fingerprint) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { kind: 'replay', response: entry.response };
    }
    this.entries.set(scoped, { state: 'running' });
    return {
      kind: 'run',
      complete: (response) => this.entries.set(scoped, { state: 'done', method: request.method, path: request.path, fingerprint, response, storedAt: this.clock.nowMs() }),
      release: () => this.entries.delete(scoped),
    };
  }
}

function idempotencyError(message: string, status = 400, type: 'idempotency_error' | 'invalid_request_error' = 'idempotency_error', code?: string): StripeApiError {
  return new StripeApiError(status, { type, message, ...(code ? { code } : {}) }, false);
}

/** Parameters compared regardless of the order they were sent in. */
function canonicalJson(value: FormObject | string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
