import { randomBytes } from 'node:crypto';
import { HttpClient } from './http-client';

/** A registered account as a test uses it: who it is, how it signs in, and its tokens. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/** Usernames unique per run, so suites can share one running platform. */
export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** Registers a new account over the public API (`role` host or user), with a name unique per run. */
export async function registerAccount(api: HttpClient, role: 'user' | 'host' = 'user', prefix: string = role): Promise<Account> {
  const username = uniqueName(prefix);
  const displayName = `Display ${username}`;
  const email = `${username}@example.com`;
  const password = 'correct horse battery';
  const response = await api.post('/v1/auth/register', { email, password, username, display_name: displayName, role });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
  return { id: response.body.user.id, username, displayName, email, password, token: response.body.access_token, refreshToken: response.body.refresh_token };
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
