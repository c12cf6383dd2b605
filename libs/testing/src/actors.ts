import type { MessageBus } from '@vidivo/platform';
import { randomBytes } from 'node:crypto';
import { HttpClient } from './http-client';

/** A registered account as a test uses it: who it is, how it signs in, and its tokens. */
export interface Account {
  id: string;
  role: 'user' | 'host';
  username: string;
  displayName: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/** Usernames unique per run, so suites can share one running platform. */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** What registration is sent: a name unique per run, its display name, email and password. */
function newRegistration(role: 'user' | 'host', prefix: string) {
  const username = uniqueName(prefix);
  return { email: `${username}@example.com`, password: 'correct horse battery', username, display_name: `Display ${username}`, role };
}

type Registration = ReturnType<typeof newRegistration>;
type Registered = { user: { id: string }; access_token: string; refresh_token: string };

const accountOf = (sent: Registration, registered: Registered): Account => ({
  id: registered.user.id,
  role: sent.role,
  username: sent.username,
  displayName: sent.display_name,
  email: sent.email,
  password: sent.password,
  token: registered.access_token,
  refreshToken: registered.refresh_token,
});

/** Registers a new account over the public API (`role` host or user), with a name unique per run. */
export async function registerAccount(api: HttpClient, role: 'user' | 'host' = 'user', prefix: string = role): Promise<Account> {
  const sent = newRegistration(role, prefix);
  const response = await api.post('/v1/auth/register', sent);
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
  return accountOf(sent, response.body);
}

/**
 * Registers a new account over the message bus, as the gateway would (`identity.auth.register`),
 * for specs of apps composed without the gateway.
 */
export async function registerOverBus(bus: MessageBus, role: 'user' | 'host' = 'user', prefix: string = role): Promise<Account> {
  const sent = newRegistration(role, prefix);
  return accountOf(sent, await bus.request('identity.auth.register', sent));
}

/** The account as the apps' messages name their caller (their `actor`, as the gateway fills it in from the token). */
export function actorOf(account: Pick<Account, 'id' | 'role' | 'username'>): { id: string; role: Account['role']; username: string } {
  return { id: account.id, role: account.role, username: account.username };
}

export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The error envelope (decision 2), with a given code. */
export function expectError(response: { status: number; body: any }, status: number, code: string): void {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(typeof response.body.error.message).toBe('string');
}

/** A 400 whose details name exactly these fields. */
export function expectInvalidFields(response: { status: number; body: any }, fields: string[]): void {
  expectError(response, 400, 'validation_error');
  const named = new Set((response.body.error.details as Array<{ field: string }>).map((detail) => detail.field));
  expect([...named].sort()).toEqual([...fields].sort());
}
