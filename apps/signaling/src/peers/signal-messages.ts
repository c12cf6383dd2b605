/** What peers may send each other; the server relays these unchanged (decision 20). */
export const RELAYED_TYPES = new Set(['offer', 'answer', 'ice_candidate']);
/** A peer leaving on purpose (decision 29): its peer hears `peer_left` at once, with no grace. */
export const LEAVE = 'leave';

/** Frames above this close the socket (decision 20). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Close codes: 4401 for a bad token (decision 20); the others say why a socket was closed by us. */
export const CLOSE = {
  normal: 1000,
  unauthorized: 4401,
  replaced: 4000,
  callEnded: 4001,
  deadPeer: 4002,
} as const;

export type ErrorCode = 'unauthorized' | 'bad_message' | 'rate_limited' | 'queue_full' | 'not_found';

export const serverMessage = (type: string, payload: unknown) => JSON.stringify({ type, payload });
export const errorMessage = (code: ErrorCode, message: string) => serverMessage('error', { code, message });

export type Parsed = { ok: true; type: string; raw: string } | { ok: false; message: string };

/** Checks the envelope only; the payload is the peers' business and travels as it came. */
export function parseRelayed(raw: string): Parsed {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'The message is not valid JSON' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { ok: false, message: 'A message is a JSON object with a type' };
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string' || !(RELAYED_TYPES.has(type) || type === LEAVE)) {
    return { ok: false, message: `Unknown message type; send one of ${[...RELAYED_TYPES, LEAVE].join(', ')}` };
  }
  return { ok: true, type, raw };
}
