import { HttpClient, Account, ISO_SECONDS, ULID, expectError, expectInvalidFields, registerAccount } from '@vidivo/testing';
import { PUBLIC_WEB_URL } from '../platform-under-test';

const validLink = { rate_per_minute: '2.50', window_size_minutes: 10 };

/** Call links (docs/api/ "Links" and decision 9), from the outside. */
export function describeLinksContract(api: () => HttpClient): void {
  let host: Account;
  let otherHost: Account;
  let user: Account;
  const create = (body: object, account: Account = host) => api().post('/v1/calls/links', body, { token: account.token });

  beforeAll(async () => {
    [host, otherHost, user] = await Promise.all([registerAccount(api(), 'host'), registerAccount(api(), 'host'), registerAccount(api(), 'user')]);
  });

  describe('POST /v1/calls/links', () => {
    it('creates a link with every field in the documented shape', async () => {
      const response = await create({ ...validLink, expires_at: '2099-03-22T00:00:00Z', max_uses: 1, label: 'Session with Alex' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(ULID),
        short_code: expect.stringMatching(/^[a-z0-9]{6}$/),
        url: `${PUBLIC_WEB_URL}/c/${response.body.short_code}`,
        host_id: host.id,
        rate_per_minute: '2.50',
        window_size_minutes: 10,
        expires_at: '2099-03-22T00:00:00Z',
        max_uses: 1,
        use_count: 0,
        label: 'Session with Alex',
        is_active: true,
        created_at: expect.stringMatching(ISO_SECONDS),
      });
    });

    it('defaults the optional fields to null', async () => {
      const response = await create(validLink);
      expect(response.body).toMatchObject({ expires_at: null, max_uses: null, label: null });
    });

    it('normalises expires_at to UTC', async () => {
      const response = await create({ ...validLink, expires_at: '2099-03-22T02:30:00.500+02:00' });
      expect(response.body.expires_at).toBe('2099-03-22T00:30:00Z');
    });

    it('is for hosts only', async () => {
      expectError(await create(validLink, user), 403, 'forbidden');
      expectError(await api().post('/v1/calls/links', validLink), 401, 'unauthorized');
    });

    it.each([
      ['a number for the rate', { rate_per_minute: 2.5 }, ['rate_per_minute']],
      ['three decimals', { rate_per_minute: '2.505' }, ['rate_per_minute']],
      ['a rate under 0.50', { rate_per_minute: '0.49' }, ['rate_per_minute']],
      ['a rate over 999.99', { rate_per_minute: '1000.00' }, ['rate_per_minute']],
      ['a window of 0', { window_size_minutes: 0 }, ['window_size_minutes']],
      ['a window of 61', { window_size_minutes: 61 }, ['window_size_minutes']],
      ['a fractional window', { window_size_minutes: 1.5 }, ['window_size_minutes']],
      ['a window as a string', { window_size_minutes: '10' }, ['window_size_minutes']],
      ['a label of 121 characters', { label: 'x'.repeat(121) }, ['label']],
      ['max_uses of 0', { max_uses: 0 }, ['max_uses']],
      ['a date without time', { expires_at: '2099-03-22' }, ['expires_at']],
      ['a past expiry', { expires_at: '2001-01-01T00:00:00Z' }, ['expires_at']],
      ['an unknown field', { currency: 'eur' }, ['currency']],
    ])('refuses %s with 400 naming the field', async (_, change, fields) => {
      expectInvalidFields(await create({ ...validLink, ...change }), fields);
    });

    it('accepts the limits themselves', async () => {
      expect((await create({ rate_per_minute: '0.50', window_size_minutes: 1, label: 'x'.repeat(120) })).status).toBe(201);
      expect((await create({ rate_per_minute: '999.99', window_size_minutes: 60 })).status).toBe(201);
    });

    it('takes a rate with zero or one decimals and answers it with two (decision 4)', async () => {
      for (const [given, answered] of [
        ['7', '7.00'],
        ['7.5', '7.50'],
      ]) {
        const created = await create({ rate_per_minute: given, window_size_minutes: 10 });
        expect([created.status, created.body.rate_per_minute]).toEqual([201, answered]);
      }
    });

    it('gives 50 parallel creations 50 distinct short codes', async () => {
      const responses = await Promise.all(Array.from({ length: 50 }, () => create(validLink)));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(new Set(responses.map((r) => r.body.short_code)).size).toBe(50);
    });
  });

  describe('GET /v1/calls/links', () => {
    it("returns the caller's own links as a bare array, newest first", async () => {
      const owner = await registerAccount(api(), 'host');
      const first = await create(validLink, owner);
      const second = await create({ ...validLink, label: 'second' }, owner);
      await create(validLink, otherHost);
      const response = await api().get('/v1/calls/links', { token: owner.token });
      expect(response.status).toBe(200);
      expect(response.body.map((link: { id: string }) => link.id)).toEqual([second.body.id, first.body.id]);
    });

    it('is for hosts only', async () => {
      expectError(await api().get('/v1/calls/links', { token: user.token }), 403, 'forbidden');
    });
  });

  describe('DELETE /v1/calls/links/:id', () => {
    it("deactivates the owner's link; the link stays listed as inactive", async () => {
      const link = await create(validLink);
      const response = await api().delete(`/v1/calls/links/${link.body.id}`, { token: host.token });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      const listed = await api().get('/v1/calls/links', { token: host.token });
      expect(listed.body.find((l: { id: string }) => l.id === link.body.id).is_active).toBe(false);
      expect((await api().delete(`/v1/calls/links/${link.body.id}`, { token: host.token })).status).toBe(204);
    });

    it("refuses another host's link and leaves it active", async () => {
      const link = await create(validLink);
      expectError(await api().delete(`/v1/calls/links/${link.body.id}`, { token: otherHost.token }), 403, 'forbidden');
      expect((await api().get(`/v1/calls/links/${link.body.short_code}/info`)).body.is_active).toBe(true);
    });

    it('answers an unknown id with 404', async () => {
      expectError(await api().delete('/v1/calls/links/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: host.token }), 404, 'not_found');
      expectError(await api().delete('/v1/calls/links/not-an-id', { token: host.token }), 404, 'not_found');
    });
  });

  describe('GET /v1/calls/links/:shortCode/info (public)', () => {
    it("shows the rate and the host's public profile without a token", async () => {
      const link = await create({ ...validLink, rate_per_minute: '4.00', window_size_minutes: 15 });
      const response = await api().get(`/v1/calls/links/${link.body.short_code}/info`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        short_code: link.body.short_code,
        host: { display_name: `Display ${host.username}`, avatar_url: null, username: host.username },
        rate_per_minute: '4.00',
        window_size_minutes: 15,
        is_active: true,
        host_online: false,
      });
    });

    it('still answers 200, with is_active false, for a deactivated link', async () => {
      const link = await create(validLink);
      await api().delete(`/v1/calls/links/${link.body.id}`, { token: host.token });
      const response = await api().get(`/v1/calls/links/${link.body.short_code}/info`);
      expect(response.status).toBe(200);
      expect(response.body.is_active).toBe(false);
    });

    it('answers an unknown code with 404', async () => {
      expectError(await api().get('/v1/calls/links/zzzzzz/info'), 404, 'not_found');
      expectError(await api().get('/v1/calls/links/NOT-A-CODE/info'), 404, 'not_found');
    });
  });

  describe('GET /v1/calls/links/active/:username (public)', () => {
    it("returns the host's newest usable link with its url", async () => {
      const owner = await registerAccount(api(), 'host');
      const older = await create(validLink, owner);
      const newer = await create({ ...validLink, rate_per_minute: '3.00' }, owner);
      const response = await api().get(`/v1/calls/links/active/${owner.username}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ short_code: newer.body.short_code, url: newer.body.url, rate_per_minute: '3.00', is_active: true });

      await api().delete(`/v1/calls/links/${newer.body.id}`, { token: owner.token });
      const fallback = await api().get(`/v1/calls/links/active/${owner.username}`);
      expect(fallback.body.short_code).toBe(older.body.short_code);
    });

    it('answers 404 for an unknown user or a host without usable links', async () => {
      expectError(await api().get('/v1/calls/links/active/nobody_here_at_all'), 404, 'not_found');
      const idle = await registerAccount(api(), 'host');
      expectError(await api().get(`/v1/calls/links/active/${idle.username}`), 404, 'not_found');
    });
  });
}
