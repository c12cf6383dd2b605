import { AppError } from '@vidivo/platform';
import { InProcessApp, createTestDatabase, startInProcessApp, TestDatabase } from '@vidivo/testing';
import { identityApp } from '../identity.app';

describe('identity: accounts and tokens (real Postgres)', () => {
  let database: TestDatabase;
  let identity: InProcessApp;
  const register = (username: string, role: 'user' | 'host' = 'user') =>
    identity.bus.request('identity.auth.register', {
      email: `${username}@example.com`,
      password: 'correct horse',
      username,
      display_name: `User ${username}`,
      role,
    });
  const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: AppError) => error);

  beforeAll(async () => {
    database = await createTestDatabase('identity_auth');
    identity = await startInProcessApp(identityApp, {
      DATABASE_URL: database.url,
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'admin-password',
    });
  });

  afterAll(async () => {
    await identity?.close();
    await database?.drop();
  });

  it('registers, then logs in with the same credentials', async () => {
    const registered = await register('alice');
    expect(registered.user).toMatchObject({ username: 'alice', email: 'alice@example.com', role: 'user', display_name: 'User alice' });
    expect(registered.user.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(registered.expires_in).toBe(900);

    const session = await identity.bus.request('identity.auth.login', { email: 'ALICE@example.com', password: 'correct horse' });
    expect(session.user.id).toBe(registered.user.id);
    expect(session.refresh_token).not.toBe(registered.refresh_token);
  });

  it('never stores the password itself', async () => {
    await register('carol');
    const [row] = await queryUsers("username = 'carol'");
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    await register('dave');
    const wrongPassword = await failure(identity.bus.request('identity.auth.login', { email: 'dave@example.com', password: 'nope nope' }));
    const unknown = await failure(identity.bus.request('identity.auth.login', { email: 'nobody@example.com', password: 'nope nope' }));
    expect(wrongPassword).toMatchObject({ code: 'unauthorized' });
    expect(unknown).toMatchObject({ code: 'unauthorized', message: (wrongPassword as AppError).message });
  });

  it('refuses a taken email or username with a conflict', async () => {
    await register('erin');
    const sameUsername = await failure(
      identity.bus.request('identity.auth.register', { email: 'other@example.com', password: 'password1', username: 'erin', display_name: 'E' }),
    );
    const sameEmail = await failure(
      identity.bus.request('identity.auth.register', { email: 'ERIN@example.com', password: 'password1', username: 'erin2', display_name: 'E' }),
    );
    expect(sameUsername).toMatchObject({ code: 'conflict', message: 'This username is taken' });
    expect(sameEmail).toMatchObject({ code: 'conflict', message: 'This email is already registered' });
  });

  it('gives exactly one of 20 parallel registrations of one username', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        identity.bus.request('identity.auth.register', {
          email: `racer${i}@example.com`,
          password: 'password1',
          username: 'racer',
          display_name: 'Racer',
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const rejections = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(rejections.map((r) => r.reason.code)).toEqual(Array(19).fill('conflict'));
  });

  describe('refresh tokens', () => {
    it('rotates: the new pair works, the old refresh token does not', async () => {
      const first = await register('frank');
      const second = await identity.bus.request('identity.auth.refresh', { refresh_token: first.refresh_token });
      expect(second.user.id).toBe(first.user.id);
      expect(second.refresh_token).not.toBe(first.refresh_token);

      const reused = await failure(identity.bus.request('identity.auth.refresh', { refresh_token: first.refresh_token }));
      expect(reused).toMatchObject({ code: 'unauthorized' });
    });

    it('revokes the whole family when a used token comes back (it leaked)', async () => {
      const first = await register('grace');
      const second = await identity.bus.request('identity.auth.refresh', { refresh_token: first.refresh_token });
      await failure(identity.bus.request('identity.auth.refresh', { refresh_token: first.refresh_token }));
      const afterTheft = await failure(identity.bus.request('identity.auth.refresh', { refresh_token: second.refresh_token }));
      expect(afterTheft).toMatchObject({ code: 'unauthorized' });
    });

    it('lets only one of 10 parallel refreshes with the same token win', async () => {
      const session = await register('heidi');
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, () => identity.bus.request('identity.auth.refresh', { refresh_token: session.refresh_token })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    });

    it('refuses an unknown token', async () => {
      expect(await failure(identity.bus.request('identity.auth.refresh', { refresh_token: 'rt_made_up' }))).toMatchObject({
        code: 'unauthorized',
      });
    });
  });

  it('creates guests without credentials; they cannot log in', async () => {
    const guest = await identity.bus.request('identity.auth.guest', { display_name: 'Visitor', email: 'alice@example.com' });
    expect(guest.user).toMatchObject({ role: 'guest', username: null, display_name: 'Visitor', email: 'alice@example.com' });
    expect(guest).not.toHaveProperty('refresh_token');
    const login = await failure(identity.bus.request('identity.auth.login', { email: 'alice@example.com', password: '' }));
    expect(login).toMatchObject({ code: 'unauthorized' });
  });

  it('creates the admin from configuration, and keeps one admin across restarts', async () => {
    const admin = await identity.bus.request('identity.auth.login', { email: 'root@example.com', password: 'admin-password' });
    expect(admin.user.role).toBe('admin');

    const again = await startInProcessApp(identityApp, {
      DATABASE_URL: database.url,
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'rotated-password',
    });
    try {
      const relogin = await again.bus.request('identity.auth.login', { email: 'root@example.com', password: 'rotated-password' });
      expect(relogin.user.id).toBe(admin.user.id);
    } finally {
      await again.close();
    }
  });

  it('publishes the signing key as a JWKS', async () => {
    const jwks = await identity.bus.request('identity.auth.jwks', {});
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })]);
  });

  async function queryUsers(where: string): Promise<Array<Record<string, string>>> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(`SELECT * FROM identity.users WHERE ${where}`)).rows;
    } finally {
      await client.end();
    }
  }
});
