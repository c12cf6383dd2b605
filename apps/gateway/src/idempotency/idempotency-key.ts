import { AppError } from '@vidivo/platform';
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'X-Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Keys of callers without an access token share this scope. */
export const ANONYMOUS_SCOPE = 'anonymous';

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The header as sent: 1–255 printable ASCII characters, else a 400 naming the header. */
export function parseIdempotencyKey(header: string | string[]): string {
  const key = Array.isArray(header) ? header.join(', ') : header;
  if (!KEY_PATTERN.test(key)) {
    throw AppError.validation('The request is not valid', [{ field: IDEMPOTENCY_KEY_HEADER, message: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters` }]);
  }
  return key;
}

/** JSON with object keys sorted at every level, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What a key is bound to: method, the path as requested (no query string) and a SHA-256 of the
 * canonical body. The same key with another fingerprint is a reused key (422).
 */
export function requestFingerprint(method: string, originalUrl: string, body: unknown): string {
  // An absolute-form target (`POST http://host/v1/...`) routes like its path, so it fingerprints like it too.
  const path = originalUrl.startsWith('/') ? originalUrl.split('?', 1)[0] : new URL(originalUrl, 'http://absolute-form').pathname;
  const bodyHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return `${method.toUpperCase()} ${path} ${bodyHash}`;
}
