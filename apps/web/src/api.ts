import type { AuthResponse, ErrorEnvelope, ErrorDetail, PaymentActionDetails } from '@vidivo/contracts';

/** An API answer that was not a success, with what a person should read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[] | PaymentActionDetails,
  ) {
    super(message);
  }
}

export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface RequestOptions {
  body?: unknown;
  token?: string | null;
  /** POSTs that create something carry a fresh X-Idempotency-Key (decision 5). */
  idempotent?: boolean;
}

/** One request to the platform's public API, on this origin. Throws ApiError for every failure. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotent) headers['x-idempotency-key'] = idempotencyKey();
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as ErrorEnvelope | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? 'unknown', error?.message ?? '', error?.details);
}

/** Words for an error, never its JSON. `context` picks the wording where a code means different things. */
export function describeError(error: unknown, context: 'join' | 'login' | 'general' = 'general'): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const said = sentence(error.message);
  switch (error.code) {
    case 'network':
      return error.message;
    case 'validation_error': {
      const fields = Array.isArray(error.details) ? error.details : [];
      if (fields.length) return `Please check ${fields.map((d) => `${d.field.replace(/_/g, ' ')} (${d.message})`).join('; ')}.`;
      return said ?? 'Some of the details are not valid. Please check them.';
    }
    case 'unauthorized':
      return context === 'login' ? 'The email or password is not right.' : 'Your session has expired. Please sign in again.';
    case 'stripe_error':
      return `${said ?? 'The payment did not go through.'} Try another card, or try again in a moment.`;
    case 'payment_action_required':
      return 'Your card needs you to confirm the payment with your bank.';
    case 'forbidden':
      return 'You are not allowed to do that.';
    case 'not_found':
      return context === 'join' ? 'This call link does not exist or is no longer active.' : 'That was not found.';
    case 'conflict':
      return context === 'join' ? (said ?? 'This link cannot take another call right now.') : (said ?? 'That is not possible right now.');
    case 'rate_limited':
      return 'Too many attempts in a short time. Please wait a minute and try again.';
    default:
      return error.status >= 500 ? 'The server had a problem. Please try again in a moment.' : (said ?? 'Something went wrong. Please try again.');
  }
}

/** A server message if it reads as a sentence (not an object dump), ending with a full stop. */
function sentence(message: string): string | undefined {
  const text = message.trim();
  if (!text || /^[[{]/.test(text)) return undefined;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

// ---- the signed-in account (hosts), kept in localStorage ----

const AUTH_KEY = 'vidivo.auth';

export type StoredAuth = Pick<AuthResponse, 'user' | 'access_token' | 'refresh_token'>;

export function loadAuth(): StoredAuth | null {
  try {
    return JSON.parse(localStorage.getItem(AUTH_KEY) ?? 'null') as StoredAuth | null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: StoredAuth | null): void {
  if (auth) localStorage.setItem(AUTH_KEY, JSON.stringify(auth));
  else localStorage.removeItem(AUTH_KEY);
}

/** A request as the signed-in account, refreshing the access token once when it has expired. */
export async function authed<T>(method: string, path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
  const auth = loadAuth();
  if (!auth) throw new ApiError(401, 'unauthorized', 'Not signed in');
  try {
    return await api<T>(method, path, { ...options, token: auth.access_token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const fresh = await refreshAuth();
    return api<T>(method, path, { ...options, token: fresh.access_token });
  }
}

export async function refreshAuth(): Promise<StoredAuth> {
  const auth = loadAuth();
  if (!auth) throw new ApiError(401, 'unauthorized', 'Not signed in');
  try {
    const answer = await api<AuthResponse>('POST', '/v1/auth/refresh', { body: { refresh_token: auth.refresh_token } });
    const fresh = { user: answer.user, access_token: answer.access_token, refresh_token: answer.refresh_token };
    saveAuth(fresh);
    return fresh;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) saveAuth(null);
    throw error;
  }
}

/** Saves a file the API serves to the signed-in account (an attachment such as the .ics invite). */
export async function downloadAuthed(path: string, filename: string): Promise<void> {
  const fetchAs = (token: string) => fetch(path, { headers: { authorization: `Bearer ${token}` } });
  const auth = loadAuth();
  if (!auth) throw new ApiError(401, 'unauthorized', 'Not signed in');
  let response = await fetchAs(auth.access_token).catch(() => null);
  if (response?.status === 401) response = await fetchAs((await refreshAuth()).access_token).catch(() => null);
  if (!response) throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  if (!response.ok) {
    const error = ((await response.json().catch(() => undefined)) as ErrorEnvelope | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'unknown', error?.message ?? '');
  }
  const url = URL.createObjectURL(await response.blob());
  const anchor = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
