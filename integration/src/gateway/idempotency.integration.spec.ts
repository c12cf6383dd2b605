import { Logger } from '@nestjs/common';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { ComposedPlatform, HttpResponse, registerAccount, startComposedPlatform, uniqueName } from '@vidivo/testing';
import { IdempotencyKeysSweeper, gatewayApp, requestFingerprint } from '@vidivo/app-gateway';

const LINK = { rate_per_minute: '2.50', window_size_minutes: 10 };
const PASSWORD = 'correct horse';

describe('gateway: idempotency keys (decision 5, real Postgres, over HTTP)', () => {
  let platform: ComposedPlatform<undefined>;
  let keyCounter = 0;
  /** A fresh key per use, so tests never meet each other's rows. */
  const newKey = (label = 'key') => `${label}-${++keyCounter}-${Date.now()}`;
  const withKey = (key: string, token?: string) => ({ token, headers: { 'x-idempotency-key': key } });

  async function linkCount(hostId: string): Promise<number> {
    const { rows } = await platform.sql.query(`SELECT count(*)::int AS count FROM links.call_links WHERE host_id = $1`, [hostId]);
    return rows[0].count;
  }

  async function keyRow(key: string) {
    const { rows } = await platform.sql.query(`SELECT * FROM gateway.idempotency_keys WHERE key = $1`, [key]);
    return rows[0];
  }

  const replayed = (response: HttpResponse) => response.headers.get('idempotent-replayed');

  beforeAll(async () => {
    platform = await startComposedPlatform({ name: 'gateway_idempotency', apps: [gatewayApp, identityApp, linksApp] });
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('migrates its own schema and reports it in readiness', async () => {
    const { rows } = await platform.sql.query(`SELECT count(*)::int AS count FROM gateway.idempotency_keys`);
    expect(rows[0].count).toBe(0);
    const ready = await platform.api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details)).toContain('postgres:gateway');
  });

  describe('a repeated request', () => {
    it('replays the first answer (same status, same body, the header) and creates nothing new', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey();
      const first = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(first.status).toBe(201);
      expect(replayed(first)).toBeNull();

      const second = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(second.status).toBe(201);
      expect(replayed(second)).toBe('true');
      expect(second.text).toBe(first.text);
      expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));

      const listed = await platform.api.get('/v1/calls/links', { token: host.token });
      expect(listed.body.map((link: { id: string }) => link.id)).toEqual([first.body.id]);
      expect(await linkCount(host.id)).toBe(1);
      expect(await keyRow(key)).toMatchObject({ scope: host.id, state: 'completed', response_status: 201, locked_until: null });
    });

    it('does not run again: a replayed refresh gives the same tokens and does not count as reuse of the old token', async () => {
      const refresher = await registerAccount(platform.api, 'host');
      const login = await platform.api.post('/v1/auth/login', { email: refresher.email, password: refresher.password });
      const key = newKey('refresh');
      const first = await platform.api.post('/v1/auth/refresh', { refresh_token: login.body.refresh_token }, withKey(key));
      const again = await platform.api.post('/v1/auth/refresh', { refresh_token: login.body.refresh_token }, withKey(key));
      expect(first.status).toBe(200);
      expect(again).toMatchObject({ status: 200, text: first.text });
      expect(replayed(again)).toBe('true');
      // Running twice would have looked like a stolen token and revoked the whole family.
      const next = await platform.api.post('/v1/auth/refresh', { refresh_token: first.body.refresh_token });
      expect(next.status).toBe(200);
    });

    it('treats a body with its keys in another order as the same request', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey();
      const first = await platform.api.post('/v1/calls/links', { rate_per_minute: '3.00', window_size_minutes: 5 }, withKey(key, host.token));
      const again = await platform.api.post('/v1/calls/links', { window_size_minutes: 5, rate_per_minute: '3.00' }, withKey(key, host.token));
      expect(first.status).toBe(201);
      expect(again).toMatchObject({ status: 201, text: first.text });
      expect(replayed(again)).toBe('true');
    });
  });

  describe('a reused key', () => {
    it('with a different body is 422 idempotency_key_reused, and runs nothing', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey();
      await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      const reused = await platform.api.post('/v1/calls/links', { ...LINK, window_size_minutes: 20 }, withKey(key, host.token));
      expect(reused.status).toBe(422);
      expect(reused.body).toEqual({ error: { code: 'idempotency_key_reused', message: expect.any(String) } });
      expect(await linkCount(host.id)).toBe(1);
    });

    it('on a different path is 422 too', async () => {
      const key = newKey('anonymous');
      const body = { email: 'nobody@example.com', password: PASSWORD };
      const first = await platform.api.post('/v1/auth/login', body, withKey(key));
      expect(first.status).toBe(401);
      const elsewhere = await platform.api.post('/v1/auth/guest', body, withKey(key));
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.error.code).toBe('idempotency_key_reused');
    });

    it('by another caller is independent of the first', async () => {
      const alice = await registerAccount(platform.api, 'host');
      const bob = await registerAccount(platform.api, 'host');
      const key = newKey('shared');
      const forAlice = await platform.api.post('/v1/calls/links', LINK, withKey(key, alice.token));
      const forBob = await platform.api.post('/v1/calls/links', LINK, withKey(key, bob.token));
      expect(forAlice.status).toBe(201);
      expect(forBob.status).toBe(201);
      expect(replayed(forBob)).toBeNull();
      expect(forBob.body.id).not.toBe(forAlice.body.id);
      expect(await linkCount(alice.id)).toBe(1);
      expect(await linkCount(bob.id)).toBe(1);

      // An anonymous call with the same key is a third, separate scope.
      const anonymous = await platform.api.post('/v1/auth/login', { email: 'x@example.com', password: PASSWORD }, withKey(key));
      expect(anonymous.status).toBe(401);
      expect(replayed(anonymous)).toBeNull();
      const { rows } = await platform.sql.query(`SELECT scope FROM gateway.idempotency_keys WHERE key = $1 ORDER BY scope`, [key]);
      expect(rows.map((row) => row.scope).sort()).toEqual([alice.id, bob.id, 'anonymous'].sort());
    });
  });

  it('runs one of 20 parallel requests with one key; the others get 409 or the replay', async () => {
    const host = await registerAccount(platform.api, 'host');
    const key = newKey('race');
    const answers = await Promise.all(Array.from({ length: 20 }, () => platform.api.post('/v1/calls/links', LINK, withKey(key, host.token))));

    const executed = answers.filter((answer) => answer.status === 201 && replayed(answer) === null);
    const replays = answers.filter((answer) => answer.status === 201 && replayed(answer) === 'true');
    const inProgress = answers.filter((answer) => answer.status === 409);
    expect(executed).toHaveLength(1);
    expect(replays.length + inProgress.length).toBe(19);
    replays.forEach((answer) => expect(answer.text).toBe(executed[0].text));
    inProgress.forEach((answer) => expect(answer.body).toEqual({ error: { code: 'conflict', message: expect.stringMatching(/still in progress/) } }));
    expect(await linkCount(host.id)).toBe(1);

    const after = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
    expect(after).toMatchObject({ status: 201, text: executed[0].text });
  });

  describe('errors', () => {
    it('keeps a 4xx answer and replays it, even when running again would now succeed', async () => {
      const key = newKey('login');
      // The account is registered only after the first try, so its name is chosen here.
      const latecomer = uniqueName('latecomer');
      const body = { email: `${latecomer}@example.com`, password: PASSWORD };
      const first = await platform.api.post('/v1/auth/login', body, withKey(key));
      expect(first.status).toBe(401);
      expect(first.body.error.code).toBe('unauthorized');

      const registered = await platform.api.post('/v1/auth/register', { ...body, username: latecomer, display_name: 'Latecomer', role: 'host' });
      expect(registered.status).toBe(201);
      const withoutKey = await platform.api.post('/v1/auth/login', body);
      expect(withoutKey.status).toBe(200);

      const again = await platform.api.post('/v1/auth/login', body, withKey(key));
      expect(again).toMatchObject({ status: 401, text: first.text });
      expect(replayed(again)).toBe('true');
      expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('replays a 409 from a domain app in its envelope', async () => {
      const taken = await registerAccount(platform.api, 'host');
      const key = newKey('register');
      const body = { email: 'other@example.com', password: PASSWORD, username: taken.username, display_name: 'Other', role: 'host' };
      const first = await platform.api.post('/v1/auth/register', body, withKey(key));
      expect(first.status).toBe(409);
      expect(first.body).toEqual({ error: { code: 'conflict', message: 'This username is taken' } });
      const again = await platform.api.post('/v1/auth/register', body, withKey(key));
      expect(again).toMatchObject({ status: 409, text: first.text });
      expect(replayed(again)).toBe('true');
      expect(await keyRow(key)).toMatchObject({ scope: 'anonymous', state: 'completed', response_status: 409, response_body: first.body });
    });

    it('keeps nothing for a request refused as invalid, so the corrected request may use the key (as Stripe)', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('fix');
      const invalid = await platform.api.post('/v1/calls/links', { ...LINK, window_size_minutes: 61 }, withKey(key, host.token));
      expect(invalid.status).toBe(400);
      expect(await keyRow(key)).toBeUndefined();
      const corrected = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(corrected.status).toBe(201);
      expect(replayed(corrected)).toBeNull();
    });

    it('frees the key after a 5xx, so a retry runs again', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('fail');
      const quiet = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const request = jest.spyOn(platform.bus, 'request').mockRejectedValueOnce(new Error('the bus fell over'));
      try {
        const failed = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
        expect(failed.status).toBe(500);
        expect(failed.body.error.code).toBe('internal_error');
      } finally {
        request.mockRestore();
        quiet.mockRestore();
      }
      expect(await keyRow(key)).toBeUndefined();

      const retried = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(retried.status).toBe(201);
      expect(replayed(retried)).toBeNull();
      expect(await linkCount(host.id)).toBe(1);
    });
  });

  describe('the key itself', () => {
    it.each([
      ['longer than 255 characters', 'k'.repeat(256)],
      ['with a control character', 'abc\tdef'],
      ['with a non-ASCII character', 'clé'],
    ])('is refused with 400 when %s', async (_, key) => {
      const host = await registerAccount(platform.api, 'host');
      const refused = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        error: { code: 'validation_error', message: 'The request is not valid', details: [{ field: 'X-Idempotency-Key', message: expect.any(String) }] },
      });
      expect(await linkCount(host.id)).toBe(0);
    });

    it('is refused with 400 when empty', async () => {
      const refused = await platform.api.post('/v1/auth/login', { email: 'x@example.com', password: PASSWORD }, withKey(''));
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ field: 'X-Idempotency-Key', message: expect.any(String) }]);
    });

    it('may be 255 printable characters, spaces and symbols included', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = `a b~!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}`.padEnd(255, 'z');
      const first = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      const again = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(first.status).toBe(201);
      expect(again).toMatchObject({ status: 201, text: first.text });
      expect(replayed(again)).toBe('true');
    });
  });

  describe('rows left behind', () => {
    it('takes over an expired key as if it were absent, whatever its request was', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('expired');
      const first = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      await platform.sql.query(`UPDATE gateway.idempotency_keys SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' WHERE key = $1`, [key]);

      const afresh = await platform.api.post('/v1/calls/links', { ...LINK, window_size_minutes: 30 }, withKey(key, host.token));
      expect(afresh.status).toBe(201);
      expect(replayed(afresh)).toBeNull();
      expect(afresh.body.id).not.toBe(first.body.id);
      expect(await linkCount(host.id)).toBe(2);
      const row = await keyRow(key);
      expect(row.expires_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    });

    it('takes over a running key whose holder died (lock ran out), and runs the request', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('stale');
      await platform.sql.query(
        `INSERT INTO gateway.idempotency_keys (scope, key, fingerprint, state, run_id, locked_until, created_at, expires_at)
         VALUES ($1, $2, $3, 'running', gen_random_uuid(), now() - interval '1 second', now() - interval '2 minutes', now() + interval '23 hours')`,
        [host.id, key, requestFingerprint('POST', '/v1/calls/links', LINK)],
      );
      const taken = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(taken.status).toBe(201);
      expect(replayed(taken)).toBeNull();
      expect(await linkCount(host.id)).toBe(1);
      expect(await keyRow(key)).toMatchObject({ state: 'completed', response_status: 201, response_body: taken.body });
    });

    it('answers 409 while the holder is still within its lock', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('locked');
      await platform.sql.query(
        `INSERT INTO gateway.idempotency_keys (scope, key, fingerprint, state, run_id, locked_until, expires_at)
         VALUES ($1, $2, $3, 'running', gen_random_uuid(), now() + interval '1 minute', now() + interval '1 day')`,
        [host.id, key, requestFingerprint('POST', '/v1/calls/links', LINK)],
      );
      const busy = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(busy.status).toBe(409);
      expect(busy.body.error).toEqual({ code: 'conflict', message: expect.stringMatching(/first request .* still in progress/) });
      expect(await linkCount(host.id)).toBe(0);
    });

    it('does not take over a stale running key for a different request: 422', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('stale-reuse');
      await platform.sql.query(
        `INSERT INTO gateway.idempotency_keys (scope, key, fingerprint, state, run_id, locked_until, created_at, expires_at)
         VALUES ($1, $2, $3, 'running', gen_random_uuid(), now() - interval '1 second', now() - interval '2 minutes', now() + interval '23 hours')`,
        [host.id, key, requestFingerprint('POST', '/v1/calls/links', { ...LINK, label: 'other' })],
      );
      const reused = await platform.api.post('/v1/calls/links', LINK, withKey(key, host.token));
      expect(reused.status).toBe(422);
      expect(await linkCount(host.id)).toBe(0);
    });

    it('sweeps expired keys and keeps live ones', async () => {
      const live = newKey('live');
      await platform.api.post('/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }, withKey(live));
      await platform.sql.query(
        `INSERT INTO gateway.idempotency_keys (scope, key, fingerprint, state, run_id, response_status, response_body, created_at, expires_at)
         SELECT 'anonymous', 'old-' || n, $1, 'completed', gen_random_uuid(), 200, '{}', now() - interval '2 days', now() - interval '1 day'
           FROM generate_series(1, 1500) AS n`,
        [requestFingerprint('POST', '/v1/auth/login', {})],
      );
      expect(await platform.app.app.get(IdempotencyKeysSweeper).sweep()).toBeGreaterThanOrEqual(1500);
      const { rows } = await platform.sql.query(`SELECT count(*)::int AS count FROM gateway.idempotency_keys WHERE expires_at <= now()`);
      expect(rows[0].count).toBe(0);
      expect(await keyRow(live)).toMatchObject({ state: 'completed' });
    });
  });

  describe('other methods ignore the key', () => {
    it('GET runs every time and keeps nothing', async () => {
      const host = await registerAccount(platform.api, 'host');
      const key = newKey('get');
      await platform.api.post('/v1/calls/links', LINK, { token: host.token });
      const first = await platform.api.get('/v1/calls/links', withKey(key, host.token));
      await platform.api.post('/v1/calls/links', LINK, { token: host.token });
      const second = await platform.api.get('/v1/calls/links', withKey(key, host.token));
      expect(first.body).toHaveLength(1);
      expect(second.body).toHaveLength(2);
      expect(replayed(second)).toBeNull();
      expect(await keyRow(key)).toBeUndefined();
    });

    it('GET and DELETE do not even check the key', async () => {
      const host = await registerAccount(platform.api, 'host');
      const link = await platform.api.post('/v1/calls/links', LINK, { token: host.token });
      const listed = await platform.api.get('/v1/calls/links', withKey('', host.token));
      expect(listed.status).toBe(200);
      const deleted = await platform.api.delete(`/v1/calls/links/${link.body.id}`, withKey('k'.repeat(300), host.token));
      expect(deleted.status).toBe(204);
    });

    it('a POST without the header runs every time', async () => {
      const host = await registerAccount(platform.api, 'host');
      await platform.api.post('/v1/calls/links', LINK, { token: host.token });
      await platform.api.post('/v1/calls/links', LINK, { token: host.token });
      expect(await linkCount(host.id)).toBe(2);
    });
  });
});
