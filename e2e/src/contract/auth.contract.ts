import { HttpClient, ISO_SECONDS, ULID, expectError, expectInvalidFields, registerAccount, uniqueName } from '@vidivo/testing';
import { createPublicKey, verify } from 'node:crypto';

/** Decisions 6–8: register, login, refresh with rotation, guests, the profile, JWKS. */
export function describeAuthContract(api: () => HttpClient): void {
  describe('POST /v1/auth/register', () => {
    it('creates an account and signs it in', async () => {
      const username = uniqueName('reg');
      const response = await api().post('/v1/auth/register', {
        email: `  ${username.toUpperCase()}@Example.com `,
        password: 'long enough',
        username,
        display_name: 'Jane Smith',
        role: 'host',
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        user: {
          id: expect.stringMatching(ULID),
          email: `${username}@example.com`,
          username,
          display_name: 'Jane Smith',
          avatar_url: null,
          timezone: null,
          role: 'host',
          created_at: expect.stringMatching(ISO_SECONDS),
        },
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: 900,
      });
    });

    it('makes plain users by default and never admins', async () => {
      const username = uniqueName('plain');
      const plain = await api().post('/v1/auth/register', { email: `${username}@example.com`, password: 'long enough', username, display_name: 'P' });
      expect(plain.body.user.role).toBe('user');
      const admin = await api().post('/v1/auth/register', {
        email: `x${username}@example.com`,
        password: 'long enough',
        username: `x${username}`,
        display_name: 'A',
        role: 'admin',
      });
      expectInvalidFields(admin, ['role']);
    });

    it('names every invalid field', async () => {
      const response = await api().post('/v1/auth/register', { email: 'not-an-email', password: 'short', username: 'No Spaces', display_name: '' });
      expectInvalidFields(response, ['email', 'password', 'username', 'display_name']);
    });

    it('refuses missing fields, wrong types and unknown fields', async () => {
      expectInvalidFields(await api().post('/v1/auth/register', {}), ['email', 'password', 'username', 'display_name']);
      const wrongTypes = await api().post('/v1/auth/register', { email: 'a@example.com', password: 12345678, username: 'abc', display_name: 5 });
      expectInvalidFields(wrongTypes, ['password', 'display_name']);
      const extra = await api().post('/v1/auth/register', {
        email: 'a@example.com',
        password: '12345678',
        username: 'abc',
        display_name: 'A',
        is_admin: true,
      });
      expectInvalidFields(extra, ['is_admin']);
    });

    it('answers a taken email or username with 409', async () => {
      const taken = await registerAccount(api());
      const sameEmail = await api().post('/v1/auth/register', { email: taken.email, password: 'long enough', username: uniqueName('u'), display_name: 'X' });
      const sameUsername = await api().post('/v1/auth/register', {
        email: `${uniqueName('e')}@example.com`,
        password: 'long enough',
        username: taken.username,
        display_name: 'X',
      });
      expectError(sameEmail, 409, 'conflict');
      expectError(sameUsername, 409, 'conflict');
    });

    it('gives exactly one 201 to 20 parallel registrations of one username', async () => {
      const username = uniqueName('race');
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => api().post('/v1/auth/register', { email: `${username}${i}@example.com`, password: 'long enough', username, display_name: 'Racer' })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(19).fill(409)]);
      responses.filter((r) => r.status === 409).forEach((r) => expectError(r, 409, 'conflict'));
    });
  });

  describe('POST /v1/auth/login and /refresh', () => {
    it('logs in with the right password only', async () => {
      const account = await registerAccount(api());
      const ok = await api().post('/v1/auth/login', { email: account.email, password: account.password });
      expect(ok.status).toBe(200);
      expect(ok.body.user.id).toBe(account.id);
      expectError(await api().post('/v1/auth/login', { email: account.email, password: 'wrong password' }), 401, 'unauthorized');
      expectError(await api().post('/v1/auth/login', { email: 'nobody@example.com', password: 'whatever1' }), 401, 'unauthorized');
    });

    it('rotates refresh tokens and rejects a used one', async () => {
      const account = await registerAccount(api());
      const rotated = await api().post('/v1/auth/refresh', { refresh_token: account.refreshToken });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refresh_token).not.toBe(account.refreshToken);
      expect((await api().get('/v1/users/me', { token: rotated.body.access_token })).status).toBe(200);
      expectError(await api().post('/v1/auth/refresh', { refresh_token: account.refreshToken }), 401, 'unauthorized');
      expectInvalidFields(await api().post('/v1/auth/refresh', {}), ['refresh_token']);
    });
  });

  describe('POST /v1/auth/guest', () => {
    it('makes a guest token that works as a Bearer token', async () => {
      const response = await api().post('/v1/auth/guest', { display_name: 'Alex' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        expires_in: 900,
        user: expect.objectContaining({ role: 'guest', display_name: 'Alex', username: null }),
      });
      const me = await api().get('/v1/users/me', { token: response.body.access_token });
      expect(me.body).toMatchObject({ id: response.body.user.id, role: 'guest' });
    });

    it('works with an empty body', async () => {
      const response = await api().post('/v1/auth/guest', {});
      expect(response.status).toBe(201);
      expect(response.body.user.display_name).toBe('Guest');
    });
  });

  describe('GET /v1/auth/jwks', () => {
    it('publishes the key that verifies our access tokens (RS256)', async () => {
      const account = await registerAccount(api());
      const jwks = await api().get('/v1/auth/jwks');
      expect(jwks.status).toBe(200);
      const [header, payload, signature] = account.token.split('.');
      const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
      expect(alg).toBe('RS256');
      const jwk = jwks.body.keys.find((key: { kid: string }) => key.kid === kid);
      const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
      expect(valid).toBe(true);
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ sub: account.id, role: 'user', username: account.username });
    });
  });

  describe('/v1/users/me', () => {
    it('needs a valid Bearer token', async () => {
      expectError(await api().get('/v1/users/me'), 401, 'unauthorized');
      expectError(await api().get('/v1/users/me', { token: 'not.a.jwt' }), 401, 'unauthorized');
      expectError(await api().get('/v1/users/me', { headers: { authorization: 'Basic abc' } }), 401, 'unauthorized');
    });

    it('refuses a token signed with another key or algorithm', async () => {
      const account = await registerAccount(api());
      const [header, payload] = account.token.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      expectError(await api().get('/v1/users/me', { token: none }), 401, 'unauthorized');
      const tampered = JSON.parse(Buffer.from(payload, 'base64url').toString());
      tampered.role = 'admin';
      const forged = `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${account.token.split('.')[2]}`;
      expectError(await api().get('/v1/users/me', { token: forged }), 401, 'unauthorized');
    });

    it('reads and updates the profile', async () => {
      const account = await registerAccount(api());
      const updated = await api().patch(
        '/v1/users/me',
        { display_name: 'New Name', avatar_url: 'https://cdn.example.com/a.jpg', timezone: 'Europe/Berlin' },
        { token: account.token },
      );
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ display_name: 'New Name', avatar_url: 'https://cdn.example.com/a.jpg', timezone: 'Europe/Berlin' });
      const me = await api().get('/v1/users/me', { token: account.token });
      expect(me.body).toEqual(updated.body);
    });

    it('refuses bad profile changes and changes nothing', async () => {
      const account = await registerAccount(api());
      const response = await api().patch(
        '/v1/users/me',
        { display_name: '', avatar_url: 'javascript:alert(1)', timezone: 'Mars/Olympus', role: 'admin' },
        { token: account.token },
      );
      expectInvalidFields(response, ['display_name', 'avatar_url', 'timezone', 'role']);
      const me = await api().get('/v1/users/me', { token: account.token });
      expect(me.body).toMatchObject({ display_name: `Display ${account.username}`, avatar_url: null, timezone: null, role: 'user' });
    });
  });
}
