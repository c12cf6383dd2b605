import { AuthResponse } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { ComposedPlatform, ULID, connectDatabase, registerOverBus, startComposedPlatform, until } from '@vidivo/testing';
import { identityApp } from '../identity.app';

describe('identity: accounts and tokens (real Postgres)', () => {
  let identity: ComposedPlatform<undefined>;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: AppError) => error,
    );

  beforeAll(async () => {
    identity = await startComposedPlatform({
      name: 'identity_auth',
      apps: [identityApp],
      env: { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'admin-password' },
    });
  });

  afterAll(async () => {
    await identity?.close();
  });

  it('registers, then logs in with the same credentials', async () => {
    const registered = await identity.bus.request('identity.auth.register', {
      email: 'alice@example.com',
      password: 'correct horse',
      username: 'alice',
      display_name: 'User alice',
      role: 'user',
    });
    expect(registered.user).toMatchObject({ username: 'alice', email: 'alice@example.com', role: 'user', display_name: 'User alice' });
    expect(registered.user.id).toMatch(ULID);
    expect(registered.expires_in).toBe(900);

    const session = await identity.bus.request('identity.auth.login', { email: 'ALICE@example.com', password: 'correct horse' });
    expect(session.user.id).toBe(registered.user.id);
    expect(session.refresh_token).not.toBe(registered.refresh_token);
  });

  it('never stores the password itself', async () => {
    const carol = await registerOverBus(identity.bus);
    const { rows } = await identity.sql.query('SELECT password_hash FROM identity.users WHERE username = $1', [carol.username]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain(carol.password);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const dave = await registerOverBus(identity.bus);
    const wrongPassword = await failure(identity.bus.request('identity.auth.login', { email: dave.email, password: 'nope nope' }));
    const unknown = await failure(identity.bus.request('identity.auth.login', { email: 'nobody@example.com', password: 'nope nope' }));
    expect(wrongPassword).toMatchObject({ code: 'unauthorized' });
    expect(unknown).toMatchObject({ code: 'unauthorized', message: (wrongPassword as AppError).message });
  });

  it('refuses a taken email or username with a conflict', async () => {
    const erin = await registerOverBus(identity.bus);
    const sameUsername = await failure(
      identity.bus.request('identity.auth.register', { email: 'other@example.com', password: 'password1', username: erin.username, display_name: 'E' }),
    );
    const sameEmail = await failure(
      identity.bus.request('identity.auth.register', { email: erin.email.toUpperCase(), password: 'password1', username: `${erin.username}2`, display_name: 'E' }),
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
      const first = await registerOverBus(identity.bus);
      const second = await identity.bus.request('identity.auth.refresh', { refresh_token: first.refreshToken });
      expect(second.user.id).toBe(first.id);
      expect(second.refresh_token).not.toBe(first.refreshToken);

      const reused = await failure(identity.bus.request('identity.auth.refresh', { refresh_token: first.refreshToken }));
      expect(reused).toMatchObject({ code: 'unauthorized' });
    });

    it('revokes the whole family when a used token comes back (it leaked)', async () => {
      const first = await registerOverBus(identity.bus);
      const second = await identity.bus.request('identity.auth.refresh', { refresh_token: first.refreshToken });
      await failure(identity.bus.request('identity.auth.refresh', { refresh_token: first.refreshToken }));
      const afterTheft = await failure(identity.bus.request('identity.auth.refresh', { refresh_token: second.refresh_token }));
      expect(afterTheft).toMatchObject({ code: 'unauthorized' });
    });

    // Two clients presenting one token at once: one of them holds a copy it should not have.
    it.each([2, 10])('lets at most one of %i parallel refreshes with the same token win, then revokes the family, the winner included', async (parallel) => {
      const session = await registerOverBus(identity.bus);
      const attempts = await Promise.allSettled(Array.from({ length: parallel }, () => identity.bus.request('identity.auth.refresh', { refresh_token: session.refreshToken })));
      const winners = attempts.filter((a): a is PromiseFulfilledResult<AuthResponse> => a.status === 'fulfilled');
      expect(winners.length).toBeLessThanOrEqual(1);
      const losers = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(losers.map((a) => a.reason.code)).toEqual(Array(parallel - winners.length).fill('unauthorized'));
      for (const winner of winners) {
        expect(await failure(identity.bus.request('identity.auth.refresh', { refresh_token: winner.value.refresh_token }))).toMatchObject({ code: 'unauthorized' });
      }
      const { rows } = await identity.sql.query(
        `SELECT count(*)::int AS usable FROM identity.refresh_tokens t JOIN identity.refresh_token_families f ON f.id = t.family_id
          WHERE t.user_id = $1 AND t.used_at IS NULL AND f.revoked_at IS NULL`,
        [session.id],
      );
      expect(rows[0].usable).toBe(0);
    });

    it('revokes the new token of a rotation that was still under way when the reuse was detected', async () => {
      const session = await registerOverBus(identity.bus);
      // Holding identity.users stops the first refresh between marking its token used and issuing the next one.
      const lock = await connectDatabase(identity.database.url);
      try {
        await lock.query('BEGIN');
        await lock.query('LOCK TABLE identity.users IN ACCESS EXCLUSIVE MODE');
        const first = identity.bus.request('identity.auth.refresh', { refresh_token: session.refreshToken });
        const waiting = async () => (await lock.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rowCount === 1;
        await until(waiting, 10_000, 'the first refresh to wait for identity.users');
        const second = await failure(identity.bus.request('identity.auth.refresh', { refresh_token: session.refreshToken }));
        expect(second).toMatchObject({ code: 'unauthorized' });
        await lock.query('ROLLBACK');
        const rotated = await first;
        expect(await failure(identity.bus.request('identity.auth.refresh', { refresh_token: rotated.refresh_token }))).toMatchObject({ code: 'unauthorized' });
      } finally {
        await lock.end();
      }
    });

    it('keeps other sign-ins of the same user working when one family is revoked', async () => {
      const phone = await registerOverBus(identity.bus);
      const laptop = await identity.bus.request('identity.auth.login', { email: phone.email, password: phone.password });
      await identity.bus.request('identity.auth.refresh', { refresh_token: phone.refreshToken });
      await failure(identity.bus.request('identity.auth.refresh', { refresh_token: phone.refreshToken }));
      const stillSignedIn = await identity.bus.request('identity.auth.refresh', { refresh_token: laptop.refresh_token });
      expect(stillSignedIn.user.id).toBe(phone.id);
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

    const again = await identity.startAnother({ ADMIN_PASSWORD: 'rotated-password' });
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
});
