import { identityApp } from '@vidivo/app-identity';
import { Actor, ErrorCode, LinkDto } from '@vidivo/contracts';
import { AppError, Presence, hostPresenceKey } from '@vidivo/platform';
import { ComposedPlatform, ISO_SECONDS, ULID, actorOf, registerOverBus, startComposedPlatform } from '@vidivo/testing';
import { linksApp, newShortCode } from '@vidivo/app-links';
import { ulid } from 'ulid';

// The real generator, wrapped so one test can force a collision on the unique short code.
jest.mock('../../../apps/links/src/links/short-code', () => {
  const actual = jest.requireActual<{ newShortCode: () => string }>('../../../apps/links/src/links/short-code');
  return { ...actual, newShortCode: jest.fn(actual.newShortCode) };
});
const nextShortCode = jest.mocked(newShortCode);

const PUBLIC_WEB_URL = 'https://vidivo.test';
const validLink = { rate_per_minute: '2.50', window_size_minutes: 10 };

describe('links: call links over the bus, with identity (real Postgres)', () => {
  let platform: ComposedPlatform<undefined>;
  let admin: Actor;

  /** A new account (a host unless said otherwise) as the messages name their caller. */
  const register = (role: 'user' | 'host' = 'host'): Promise<Actor> => registerOverBus(platform.bus, role).then(actorOf);
  const create = (actor: Actor, link: object = validLink) => platform.bus.request('links.create', { actor, link: link as typeof validLink });
  const listMine = (actor: Actor) => platform.bus.request('links.list-mine', { actor });
  const deactivate = (actor: Actor, linkId: string) => platform.bus.request('links.deactivate', { actor, link_id: linkId });
  const info = (shortCode: string) => platform.bus.request('links.info', { short_code: shortCode });
  const activeByUsername = (username: string) => platform.bus.request('links.active-by-username', { username });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: AppError) => error,
    );
  const query = (text: string, params: unknown[] = []): Promise<Array<Record<string, any>>> => platform.sql.query(text, params).then((result) => result.rows);

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'links_links',
      apps: [identityApp, linksApp],
      env: { PUBLIC_WEB_URL, ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'admin-password' },
    });
    const { user } = await platform.bus.request('identity.auth.login', { email: 'root@example.com', password: 'admin-password' });
    admin = { id: user.id, role: user.role, username: user.username };
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('links.create', () => {
    it('creates a link for a host with every field in the documented shape', async () => {
      const host = await register();
      const link = await create(host, { ...validLink, expires_at: '2099-03-22T00:00:00Z', max_uses: 1, label: 'Session with Alex' });
      expect(link).toEqual({
        id: expect.stringMatching(ULID),
        short_code: expect.stringMatching(/^[a-z0-9]{6}$/),
        url: `${PUBLIC_WEB_URL}/c/${link.short_code}`,
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
      expect(Math.abs(Date.parse(link.created_at) - Date.now())).toBeLessThan(60_000);
    });

    it('defaults the optional fields to null, stores cents, and starts usable', async () => {
      const host = await register();
      const link = await create(host, { rate_per_minute: '0.50', window_size_minutes: 1 });
      expect(link).toMatchObject({ rate_per_minute: '0.50', expires_at: null, max_uses: null, use_count: 0, label: null, is_active: true });

      const [row] = await query('SELECT * FROM links.call_links WHERE id = $1', [link.id]);
      expect(row).toMatchObject({
        short_code: link.short_code,
        host_id: host.id,
        rate_cents: 50,
        window_size_minutes: 1,
        expires_at: null,
        max_uses: null,
        use_count: 0,
        label: null,
        is_active: true,
        deactivated_at: null,
      });
    });

    it('trims the label, turns a blank label into null, and normalises expires_at to UTC', async () => {
      const host = await register();
      expect((await create(host, { ...validLink, label: '  Intro call  ' })).label).toBe('Intro call');
      expect((await create(host, { ...validLink, label: '   ' })).label).toBeNull();
      expect((await create(host, { ...validLink, expires_at: '2099-03-22T02:30:00.500+02:00' })).expires_at).toBe('2099-03-22T00:30:00Z');
    });

    it('refuses a plain user and a guest with forbidden, and stores nothing for them', async () => {
      const user = await register('user');
      const { user: guestUser } = await platform.bus.request('identity.auth.guest', { display_name: 'Visitor' });
      const guest: Actor = { id: guestUser.id, role: 'guest', username: null };

      expect(await failure(create(user))).toMatchObject({ code: 'forbidden', message: 'Only hosts can create call links' });
      expect(await failure(create(guest))).toMatchObject({ code: 'forbidden' });
      expect(await query('SELECT id FROM links.call_links WHERE host_id IN ($1, $2)', [user.id, guest.id])).toEqual([]);
    });

    it('lets an admin create a link of their own (host or admin role)', async () => {
      const link = await create(admin, { ...validLink, label: 'admin link' });
      expect(link).toMatchObject({ host_id: admin.id, label: 'admin link', is_active: true });
      expect((await listMine(admin)).map((l) => l.id)).toContain(link.id);
    });

    it('refuses an invalid link or actor with validation_error naming the field', async () => {
      const host = await register();
      const fields = async (promise: Promise<unknown>) => {
        const error = await failure(promise);
        expect(error).toMatchObject({ code: 'validation_error' });
        return (error!.details ?? []).map((detail) => detail.field);
      };
      expect(await fields(create(host, { ...validLink, rate_per_minute: 2.5 }))).toEqual(['link.rate_per_minute']);
      expect(await fields(create(host, { ...validLink, rate_per_minute: '1000.00' }))).toEqual(['link.rate_per_minute']);
      expect(await fields(create(host, { ...validLink, window_size_minutes: 61 }))).toEqual(['link.window_size_minutes']);
      expect(await fields(create(host, { ...validLink, max_uses: 0 }))).toEqual(['link.max_uses']);
      expect(await fields(create(host, { ...validLink, currency: 'eur' }))).toEqual(['link.currency']);
      expect(await fields(create(host, { ...validLink, expires_at: '2001-01-01T00:00:00Z' }))).toEqual(['expires_at']);
      expect(await fields(create({ ...host, role: 'owner' as Actor['role'] }))).toEqual(['actor.role']);
      expect(await query('SELECT id FROM links.call_links WHERE host_id = $1', [host.id])).toEqual([]);
    });

    it('gives 50 parallel creations by one host 50 links with 50 distinct short codes', async () => {
      const host = await register();
      const links = await Promise.all(Array.from({ length: 50 }, (_, i) => create(host, { ...validLink, label: `parallel ${i}` })));
      expect(links.every((link) => /^[a-z0-9]{6}$/.test(link.short_code) && link.host_id === host.id)).toBe(true);
      expect(new Set(links.map((link) => link.short_code)).size).toBe(50);
      expect(new Set(links.map((link) => link.id)).size).toBe(50);

      const [counts] = await query('SELECT count(*)::int AS total, count(DISTINCT short_code)::int AS codes FROM links.call_links WHERE host_id = $1', [host.id]);
      expect(counts).toEqual({ total: 50, codes: 50 });
      expect(await listMine(host)).toHaveLength(50);
    });

    it('draws a fresh short code when the drawn one is taken', async () => {
      const host = await register();
      const taken = await create(host);
      nextShortCode.mockClear();
      nextShortCode.mockReturnValueOnce(taken.short_code).mockReturnValueOnce(taken.short_code);

      const link = await create(host);
      expect(nextShortCode).toHaveBeenCalledTimes(3);
      expect(link.short_code).not.toBe(taken.short_code);
      expect(link.short_code).toMatch(/^[a-z0-9]{6}$/);
      expect(await query('SELECT id FROM links.call_links WHERE host_id = $1', [host.id])).toHaveLength(2);
    });

    it('gives up after five taken short codes in a row, with an internal error and nothing stored', async () => {
      const host = await register();
      const taken = await create(host);
      nextShortCode.mockClear();
      for (let i = 0; i < 5; i++) nextShortCode.mockReturnValueOnce(taken.short_code);

      const error = await failure(create(host));
      expect(error).toMatchObject({ code: 'internal_error' });
      expect(error!.message).not.toMatch(/call_links|duplicate|SQL/i);
      expect(nextShortCode).toHaveBeenCalledTimes(5);
      expect(await query('SELECT id FROM links.call_links WHERE host_id = $1', [host.id])).toHaveLength(1);
    });
  });

  describe('links.list-mine', () => {
    it("returns only the caller's own links, newest first, deactivated ones as inactive", async () => {
      const owner = await register();
      const other = await register();
      const first = await create(owner, { ...validLink, label: 'first' });
      const theirs = await create(other);
      const second = await create(owner, { ...validLink, label: 'second' });
      await deactivate(owner, first.id);

      const mine = await listMine(owner);
      expect(mine.map((link) => link.id)).toEqual([second.id, first.id]);
      expect(mine.map((link) => link.is_active)).toEqual([true, false]);
      expect(mine[0]).toEqual(second);
      expect((await listMine(other)).map((link) => link.id)).toEqual([theirs.id]);
      expect(await listMine(await register())).toEqual([]);
    });
  });

  describe('links.deactivate', () => {
    it("deactivates the owner's link once; repeating it answers the same and changes nothing", async () => {
      const host = await register();
      const link = await create(host);
      expect(await deactivate(host, link.id)).toEqual({ deactivated: true });
      const [first] = await query('SELECT is_active, deactivated_at FROM links.call_links WHERE id = $1', [link.id]);
      expect(first.is_active).toBe(false);
      expect(first.deactivated_at).toBeInstanceOf(Date);

      expect(await deactivate(host, link.id)).toEqual({ deactivated: true });
      const [again] = await query('SELECT is_active, deactivated_at FROM links.call_links WHERE id = $1', [link.id]);
      expect(again).toEqual(first);
    });

    it("refuses another host's link (and a user's or guest's attempt) with forbidden, leaving it usable", async () => {
      const owner = await register();
      const intruder = await register();
      const user = await register('user');
      const link = await create(owner);

      expect(await failure(deactivate(intruder, link.id))).toMatchObject({ code: 'forbidden', message: 'This call link belongs to another host' });
      expect(await failure(deactivate(user, link.id))).toMatchObject({ code: 'forbidden' });
      const { user: guest } = await platform.bus.request('identity.auth.guest', {});
      expect(await failure(deactivate({ id: guest.id, role: 'guest', username: null }, link.id))).toMatchObject({ code: 'forbidden' });
      expect(await listMine(intruder)).toEqual([]);
      expect((await info(link.short_code)).is_active).toBe(true);
      const [row] = await query('SELECT is_active, deactivated_at FROM links.call_links WHERE id = $1', [link.id]);
      expect(row).toEqual({ is_active: true, deactivated_at: null });
    });

    it('answers not_found for an unknown or malformed link id', async () => {
      const host = await register();
      expect(await failure(deactivate(host, '01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toMatchObject({ code: 'not_found', message: 'Call link not found' });
      expect(await failure(deactivate(host, 'not-an-id'))).toMatchObject({ code: 'not_found' });
    });

    it("lets an admin deactivate any host's link", async () => {
      const host = await register();
      const link = await create(host);
      expect(await deactivate(admin, link.id)).toEqual({ deactivated: true });
      expect((await listMine(host)).find((l) => l.id === link.id)?.is_active).toBe(false);
      expect((await info(link.short_code)).is_active).toBe(false);
    });
  });

  describe('links.info', () => {
    it("shows the rate, the window and the host's public profile from identity, nothing private", async () => {
      const host = await register();
      await platform.bus.request('identity.users.update-me', {
        actor: host,
        changes: { display_name: 'Jane Smith', avatar_url: 'https://cdn.example.com/jane.jpg' },
      });
      const link = await create(host, { rate_per_minute: '4.00', window_size_minutes: 15, max_uses: 3, label: 'private label' });

      expect(await info(link.short_code)).toEqual({
        short_code: link.short_code,
        host: { display_name: 'Jane Smith', avatar_url: 'https://cdn.example.com/jane.jpg', username: host.username },
        rate_per_minute: '4.00',
        window_size_minutes: 15,
        is_active: true,
        host_online: false,
      });
    });

    it('says whether the host is online: a live notify connection anywhere (decision 29)', async () => {
      const host = await register();
      const link = await create(host);
      const presence = platform.app.app.get(Presence);
      expect(await info(link.short_code)).toMatchObject({ host_online: false });
      presence.announce(hostPresenceKey(host.id, 'connection-1'), { replica: 'r1' });
      expect(await info(link.short_code)).toMatchObject({ host_online: true });
      expect(await activeByUsername(host.username!)).toMatchObject({ host_online: true });
      presence.withdraw(hostPresenceKey(host.id, 'connection-1'));
      expect(await info(link.short_code)).toMatchObject({ host_online: false });
    });

    it('still answers, with is_active false, for an expired, a used-up and a deactivated link', async () => {
      const host = await register();
      const expired = await create(host, { ...validLink, expires_at: '2099-01-01T00:00:00Z' });
      const usedUp = await create(host, { ...validLink, max_uses: 2 });
      const oneUseLeft = await create(host, { ...validLink, max_uses: 2 });
      const deactivated = await create(host);
      await query("UPDATE links.call_links SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
      await query('UPDATE links.call_links SET use_count = 2 WHERE id = $1', [usedUp.id]);
      await query('UPDATE links.call_links SET use_count = 1 WHERE id = $1', [oneUseLeft.id]);
      await deactivate(host, deactivated.id);

      expect(await info(expired.short_code)).toMatchObject({ short_code: expired.short_code, is_active: false, host: { username: host.username } });
      expect(await info(usedUp.short_code)).toMatchObject({ short_code: usedUp.short_code, is_active: false });
      expect(await info(deactivated.short_code)).toMatchObject({ short_code: deactivated.short_code, is_active: false });
      expect(await info(oneUseLeft.short_code)).toMatchObject({ is_active: true });

      const listed = new Map((await listMine(host)).map((link: LinkDto) => [link.id, link]));
      expect(listed.get(expired.id)).toMatchObject({ is_active: false, expires_at: expect.stringMatching(ISO_SECONDS) });
      expect(listed.get(usedUp.id)).toMatchObject({ is_active: false, use_count: 2, max_uses: 2 });
      expect(listed.get(oneUseLeft.id)).toMatchObject({ is_active: true, use_count: 1 });
    });

    it('answers not_found only for a code that does not exist (or cannot)', async () => {
      expect(await failure(info('zzzzzz'))).toMatchObject({ code: 'not_found', message: 'Call link not found' });
      expect(await failure(info('NOT-A-CODE'))).toMatchObject({ code: 'not_found' });
      const link = await create(await register());
      expect(await failure(info(link.short_code.toUpperCase()))).toMatchObject({ code: 'not_found' });
    });
  });

  describe('links.claim', () => {
    const claim = (shortCode: string, callId: string) => platform.bus.request('links.claim', { short_code: shortCode, call_id: callId });
    const useCount = async (linkId: string) => (await query('SELECT use_count FROM links.call_links WHERE id = $1', [linkId]))[0].use_count as number;
    const callId = () => ulid();

    it('lets exactly three of 30 parallel claims win a link with three uses, each with its claim row', async () => {
      const link = await create(await register(), { ...validLink, max_uses: 3 });
      const results = await Promise.all(Array.from({ length: 30 }, () => failure(claim(link.short_code, callId()))));
      expect(results.filter((result) => result === null)).toHaveLength(3);
      expect(results.filter((result) => result?.code === ErrorCode.Conflict)).toHaveLength(27);
      expect(await useCount(link.id)).toBe(3);
      expect(await query('SELECT count(*)::int AS n FROM links.link_claims WHERE link_id = $1 AND released_at IS NULL', [link.id])).toEqual([{ n: 3 }]);
    });

    it('refuses a second use for a call that holds one without counting it, and takes one again once it was given back', async () => {
      const link = await create(await register());
      const call = callId();
      expect(await claim(link.short_code, call)).toMatchObject({ link_id: link.id });
      expect(await failure(claim(link.short_code, call))).toMatchObject({ code: 'conflict', message: 'This call already holds a use of a link' });
      expect(await useCount(link.id)).toBe(1);
      await platform.bus.request('links.release', { call_id: call });
      expect(await useCount(link.id)).toBe(0);
      expect(await claim(link.short_code, call)).toMatchObject({ link_id: link.id });
      expect(await useCount(link.id)).toBe(1);
    });

    it('answers not_found for an unknown, expired or deactivated link and conflict for a used-up one, taking nothing', async () => {
      const host = await register();
      const [expired, deactivated, usedUp] = [await create(host), await create(host), await create(host, { ...validLink, max_uses: 1 })];
      await query("UPDATE links.call_links SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
      await deactivate(host, deactivated.id);
      await claim(usedUp.short_code, callId());
      for (const shortCode of ['zzzzzz', expired.short_code, deactivated.short_code]) expect(await failure(claim(shortCode, callId()))).toMatchObject({ code: 'not_found' });
      expect(await failure(claim(usedUp.short_code, callId()))).toMatchObject({ code: 'conflict', message: 'This call link has reached its maximum number of uses' });
      expect([await useCount(expired.id), await useCount(deactivated.id), await useCount(usedUp.id)]).toEqual([0, 0, 1]);
    });
  });

  describe('links.active-by-username', () => {
    it("returns the host's newest usable link in the info shape plus its url", async () => {
      const account = await registerOverBus(platform.bus, 'host');
      const host = actorOf(account);
      await create(host, { ...validLink, label: 'older' });
      const newer = await create(host, { rate_per_minute: '3.00', window_size_minutes: 20, expires_at: '2099-01-01T00:00:00Z' });
      await create(await register());

      expect(await activeByUsername(host.username)).toEqual({
        short_code: newer.short_code,
        url: `${PUBLIC_WEB_URL}/c/${newer.short_code}`,
        host: { display_name: account.displayName, avatar_url: null, username: host.username },
        rate_per_minute: '3.00',
        window_size_minutes: 20,
        is_active: true,
        host_online: false,
      });
    });

    it('falls back past a newer deactivated, expired or used-up link, then answers not_found', async () => {
      const host = await register();
      const oldest = await create(host, { ...validLink, max_uses: 5 });
      const expired = await create(host, { ...validLink, expires_at: '2099-01-01T00:00:00Z' });
      const usedUp = await create(host, { ...validLink, max_uses: 1 });
      const newest = await create(host);
      const active = async () => (await activeByUsername(host.username!)).short_code;
      expect(await active()).toBe(newest.short_code);

      await deactivate(host, newest.id);
      expect(await active()).toBe(usedUp.short_code);

      await query('UPDATE links.call_links SET use_count = 1 WHERE id = $1', [usedUp.id]);
      expect(await active()).toBe(expired.short_code);

      await query("UPDATE links.call_links SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
      expect(await active()).toBe(oldest.short_code);

      await query('UPDATE links.call_links SET use_count = 5 WHERE id = $1', [oldest.id]);
      expect(await failure(activeByUsername(host.username!))).toMatchObject({ code: 'not_found', message: 'Active call link not found' });
    });

    it('answers not_found for a host without links, a plain user and an unknown username', async () => {
      const idle = await register();
      const user = await register('user');
      expect(await failure(activeByUsername(idle.username!))).toMatchObject({ code: 'not_found' });
      expect(await failure(activeByUsername(user.username!))).toMatchObject({ code: 'not_found' });
      expect(await failure(activeByUsername('nobody_here_at_all'))).toMatchObject({ code: 'not_found' });
    });

    // Decision 9: "…the newest usable link …, or 404". A name no account can have is as unknown as any other.
    it('answers not_found, not validation_error, for a username no account can have', async () => {
      const host = await register();
      await create(host);
      expect(await failure(activeByUsername(host.username!.toUpperCase()))).toMatchObject({ code: 'not_found' });
      expect(await failure(activeByUsername('no'))).toMatchObject({ code: 'not_found' });
    });
  });
});
