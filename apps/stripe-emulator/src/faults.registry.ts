export interface Fault {
  /** which requests: HTTP method and a path pattern such as '/v1/payment_intents' or '/v1/payment_intents/:id/capture' */
  method: 'GET' | 'POST';
  path: string;
  /** only requests whose object (PaymentIntent, Charge, Customer) or create params carry this metadata.call_id; optional */
  callId?: string;
  /**
   * what happens to a request that would run (one answered from its idempotency key, replay or
   * 409, takes no fault):
   * - 'error': a Stripe `api_error` 500 without doing anything; the 500 is kept for the
   *   idempotency key like any answer of an endpoint that started (https://docs.stripe.com/api/idempotent_requests),
   *   so a retry with that key gets it replayed.
   * - 'error_after': the request runs (the PaymentIntent is created, captured, …), then a 500 is
   *   answered instead of its result and kept for the key.
   * - 'disconnect': the request runs and its result is kept for the key, then the connection is
   *   cut without an answer (a connection error for the client).
   * - 'rate_limit': a 429 `rate_limit` (https://docs.stripe.com/rate-limits) without doing
   *   anything; nothing is kept for the key. `shouldRetry` sets `Stripe-Should-Retry`.
   * - 'stall': the request waits, holding its idempotency key (a retry with that key gets 409
   *   `idempotency_key_in_use`, as on Stripe); with `stallMs` it then runs and answers (even if the
   *   client gave up), without it it never answers until the emulator closes.
   * - 'decline': an approving card declines like `pm_card_chargeDeclined` (only for POST
   *   /v1/payment_intents and /v1/payment_intents/:id/confirm).
   */
  kind: 'error' | 'error_after' | 'disconnect' | 'rate_limit' | 'stall' | 'decline';
  stallMs?: number;
  /** for 'rate_limit': the `Stripe-Should-Retry` header's value; absent when undefined */
  shouldRetry?: boolean;
  /** how many matching requests it affects (default 1; Infinity allowed; over HTTP null or "Infinity") */
  times?: number;
}

export interface FaultTarget {
  method: string;
  path: string;
  callId?: string;
}

const KINDS: readonly Fault['kind'][] = ['error', 'error_after', 'disconnect', 'rate_limit', 'stall', 'decline'];
const DECLINE_PATHS = ['/v1/payment_intents', '/v1/payment_intents/:id/confirm'];

/** Faults waiting for their requests, first added first matched. */
export class FaultRegistry {
  private faults: Array<Fault & { remaining: number }> = [];

  add(input: unknown): Fault {
    const fault = validFault(input);
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
    return fault;
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  /** The first fault aimed at this request, counted as used. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.faults.find((candidate) => matches(candidate, target));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (fault.method !== target.method) return false;
  if (fault.callId !== undefined && fault.callId !== target.callId) return false;
  const pattern = fault.path.split('/');
  const path = target.path.split('/');
  return pattern.length === path.length && pattern.every((segment, index) => segment.startsWith(':') || segment === path[index]);
}

/** Checks a fault given in code or as JSON over HTTP; the message says what is wrong. */
function validFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) throw new TypeError('a fault must be an object');
  const { method, path, callId, kind, stallMs, shouldRetry, times } = input as Record<string, unknown>;
  if (method !== 'GET' && method !== 'POST') throw new TypeError('fault.method must be GET or POST');
  if (typeof path !== 'string' || !path.startsWith('/v1/')) throw new TypeError("fault.path must be a path such as '/v1/payment_intents/:id/capture'");
  if (callId !== undefined && (typeof callId !== 'string' || callId === '')) throw new TypeError('fault.callId must be a non-empty string');
  if (!KINDS.includes(kind as Fault['kind'])) throw new TypeError(`fault.kind must be one of ${KINDS.join(', ')}`);
  if (kind === 'decline' && (method !== 'POST' || !DECLINE_PATHS.includes(path))) {
    throw new TypeError(`a decline fault applies to POST ${DECLINE_PATHS.join(' or ')} only`);
  }
  if (shouldRetry !== undefined && (kind !== 'rate_limit' || typeof shouldRetry !== 'boolean')) {
    throw new TypeError("fault.shouldRetry must be a boolean, for a 'rate_limit' fault only");
  }
  if (stallMs !== undefined && (typeof stallMs !== 'number' || !Number.isFinite(stallMs) || stallMs < 0)) {
    throw new TypeError('fault.stallMs must be a number of milliseconds');
  }
  const count = times === null || times === 'Infinity' ? Infinity : times;
  if (count !== undefined && !(count === Infinity || (Number.isInteger(count) && (count as number) >= 1))) {
    throw new TypeError('fault.times must be a positive integer or Infinity');
  }
  return {
    method,
    path,
    kind: kind as Fault['kind'],
    ...(callId !== undefined ? { callId } : {}),
    ...(stallMs !== undefined ? { stallMs } : {}),
    ...(shouldRetry !== undefined ? { shouldRetry } : {}),
    ...(count !== undefined ? { times: count as number } : {}),
  };
}
