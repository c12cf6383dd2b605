export interface Fault {
  /** which requests: HTTP method and a path pattern such as '/v1/payment_intents' or '/v1/payment_intents/:id/capture' */
  method: 'GET' | 'POST';
  path: string;
  /** only requests whose PaymentIntent (or create params) carry this metadata.call_id; optional */
  callId?: string;
  /**
   * what happens, decided before the request is executed:
   * - 'error': a Stripe `api_error` 500; nothing is done and nothing is kept for the idempotency key.
   * - 'stall': the request waits, holding its idempotency key (a retry with that key gets 409
   *   `idempotency_key_in_use`, as on Stripe); with `stallMs` it then runs and answers (even if the
   *   client gave up), without it it never answers until the emulator closes.
   * - 'decline': a create with an approving card declines like `pm_card_chargeDeclined`
   *   (only for POST /v1/payment_intents).
   */
  kind: 'error' | 'stall' | 'decline';
  stallMs?: number;
  /** how many matching requests it affects (default 1; Infinity allowed; over HTTP null or "Infinity") */
  times?: number;
}

export interface FaultTarget {
  method: string;
  path: string;
  callId?: string;
}

const KINDS: readonly Fault['kind'][] = ['error', 'stall', 'decline'];
const CREATE_PATH = '/v1/payment_intents';

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
  const { method, path, callId, kind, stallMs, times } = input as Record<string, unknown>;
  if (method !== 'GET' && method !== 'POST') throw new TypeError('fault.method must be GET or POST');
  if (typeof path !== 'string' || !path.startsWith('/v1/')) throw new TypeError("fault.path must be a path such as '/v1/payment_intents/:id/capture'");
  if (callId !== undefined && (typeof callId !== 'string' || callId === '')) throw new TypeError('fault.callId must be a non-empty string');
  if (!KINDS.includes(kind as Fault['kind'])) throw new TypeError(`fault.kind must be one of ${KINDS.join(', ')}`);
  if (kind === 'decline' && (method !== 'POST' || path !== CREATE_PATH)) {
    throw new TypeError(`a decline fault applies to POST ${CREATE_PATH} only`);
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
    ...(count !== undefined ? { times: count as number } : {}),
  };
}
