import { ErrorCode } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { HttpResponse, expectError } from '@vidivo/testing';
import { FuzzPlatform, startFuzzPlatform } from './fuzz-platform';

jest.setTimeout(30_000);

/**
 * The inputs of issue 13 that answered 500 (or an undocumented status), one class per block, each
 * now a 400 `validation_error` naming the field, a 413 or a 415 (decision 31).
 */
describe('hostile input at the edge: every refusal a 4xx in the envelope, never a 500', () => {
  let fuzz: FuzzPlatform;
  const api = () => fuzz.platform.api;

  beforeAll(async () => {
    fuzz = await startFuzzPlatform('hostile_input');
  });

  afterAll(async () => {
    await fuzz?.platform.close();
  });

  /** A 400 `validation_error` whose details name `field` (and whose answer never carries the offending character back). */
  const expectRefusedField = (response: HttpResponse, field: string) => {
    expectError(response, 400, 'validation_error');
    expect(response.body.error.details).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    expect(response.text).not.toMatch(/\\u0000|\\ud8|\\udc/);
  };
  const joinAnonymously = (body: Record<string, unknown>) => api().post(`/v1/calls/join/${fuzz.shortCode}`, { payment_method_id: 'pm_card_visa', ...body });

  describe('deep nesting', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it('refuses a body nested 5,000 levels (10 KiB) with 400 right after parsing, on every operation with a body', async () => {
      const deep = `{"email":${nested(5000)},"password":"correct horse battery"}`;
      expect(deep.length).toBeLessThan(100 * 1024);
      expectRefusedField(await api().post('/v1/auth/login', undefined, { rawBody: deep }), 'body');
      expectRefusedField(await api().post('/v1/calls/links', undefined, { rawBody: `{"label":${nested(5000)}}`, token: fuzz.host.token }), 'body');
      expectRefusedField(await api().post(`/v1/calls/join/${fuzz.shortCode}`, undefined, { rawBody: `{"guest_name":${nested(5000)}}` }), 'body');
    });

    it('draws the line at 32 levels', async () => {
      const at = (levels: number) => api().post('/v1/auth/login', undefined, { rawBody: `{"email":"a@b.c","password":${nested(levels - 1)}}` });
      const fields = (await at(32)).body.error.details.map((detail: { field: string }) => detail.field);
      expect(new Set(fields)).toEqual(new Set(['password']));
      expectRefusedField(await at(33), 'body');
    });
  });

  describe('NUL characters (Postgres text refuses 0x00)', () => {
    it('refuses one in a body field, naming the field', async () => {
      const registration = { email: 'nul@example.com', password: 'correct horse battery', username: 'nul_user', display_name: 'Jane\u0000Smith' };
      expectRefusedField(await api().post('/v1/auth/register', registration), 'display_name');
      expectRefusedField(await joinAnonymously({ guest_name: 'Al\u0000ex' }), 'guest_name');
      expectRefusedField(await api().post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10, label: '\u0000' }, { token: fuzz.host.token }), 'label');
    });

    it('refuses one in a path segment, naming the path parameter', async () => {
      expectRefusedField(await api().get('/v1/calls/links/ab%00cd/info'), 'shortCode');
      expectRefusedField(await api().get('/v1/calls/links/active/jane%00'), 'username');
      expectRefusedField(await api().get('/v1/calls/%00', { token: fuzz.guest.token }), 'id');
      expectRefusedField(await api().get('/v1/schedule/%00/calendar', { token: fuzz.guest.token }), 'id');
      expectRefusedField(await api().post('/v1/calls/%00/end', {}, { token: fuzz.guest.token }), 'id');
    });

    it('refuses one in a query parameter, naming it', async () => {
      const query = 'start_date=2030-01-07&end_date=2030-01-08&timezone=Europe/Berlin%00';
      expectRefusedField(await api().get(`/v1/schedule/${fuzz.host.username}?${query}`), 'timezone');
    });

    it('refuses one in a message payload too (the same checks run on the bus)', async () => {
      const refusal = await fuzz.platform.bus.request('links.info', { short_code: 'ab\u0000cd' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(AppError);
      expect(refusal).toMatchObject({ code: ErrorCode.ValidationError, details: [{ field: 'short_code', message: expect.any(String) }] });
    });
  });

  describe('unpaired UTF-16 surrogates (not Unicode: the email check throws, a JSON column refuses them)', () => {
    it('refuses one in an email field', async () => {
      expectRefusedField(await api().post('/v1/auth/guest', { email: '\ud800@example.com' }), 'email');
      expectRefusedField(await joinAnonymously({ guest_email: 'a\udc00@example.com' }), 'guest_email');
    });

    it('refuses one in a name that would reach an event payload', async () => {
      expectRefusedField(await joinAnonymously({ guest_name: 'Al\udc00ex' }), 'guest_name');
      expectRefusedField(await joinAnonymously({ guest_name: 'Alex\ud83d' }), 'guest_name');
    });

    it('refuses one in a field name', async () => {
      expectRefusedField(await api().post('/v1/auth/guest', { ['\ud800']: 'x' }), '\ufffd');
    });

    it('takes a well-formed pair (an emoji) as it is', async () => {
      const guest = await api().post('/v1/auth/guest', { display_name: 'Alex 😀' });
      expect(guest.status).toBe(201);
      expect(guest.body.user.display_name).toBe('Alex 😀');
    });
  });

  describe('dates within 1970-01-01 and 9999-12-30', () => {
    it('refuses a booking that would end in the year 10000', async () => {
      const booking = { host_username: fuzz.host.username, scheduled_at: '9999-12-31T23:00:00Z', duration_minutes: 240 };
      expectRefusedField(await api().post('/v1/schedule/book', booking, { token: fuzz.guest.token }), 'scheduled_at');
    });

    it('refuses link expiries and slot ranges outside the range', async () => {
      const link = (expires_at: string) => api().post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10, expires_at }, { token: fuzz.host.token });
      expectRefusedField(await link('9999-12-31T12:00:00Z'), 'expires_at');
      expectRefusedField(await link('1969-12-31T23:59:59Z'), 'expires_at');
      expectRefusedField(await api().get(`/v1/schedule/${fuzz.host.username}?start_date=9999-12-30&end_date=9999-12-31`), 'end_date');
      expectRefusedField(await api().get(`/v1/schedule/${fuzz.host.username}?start_date=0001-01-01&end_date=0001-01-02`), 'start_date');
    });
  });

  describe('path segments', () => {
    it('answers an undecodable percent-encoding with 400 in the envelope', async () => {
      expectError(await api().get('/v1/calls/links/%E0%A4%A/info'), 400, 'validation_error');
      expectError(await api().post('/v1/calls/join/%E0%A4%A', { payment_method_id: 'pm_card_visa' }), 400, 'validation_error');
    });

    it('refuses an over-long username or id with 400, naming it', async () => {
      expectRefusedField(await api().get(`/v1/calls/links/active/${'a'.repeat(5000)}`), 'username');
      expectRefusedField(await api().get(`/v1/schedule/${'a'.repeat(5000)}?start_date=2030-01-07&end_date=2030-01-08`), 'username');
      expectRefusedField(await api().get(`/v1/calls/${'A'.repeat(101)}`, { token: fuzz.guest.token }), 'id');
    });
  });

  describe('bodies the API does not read', () => {
    it('answers JSON in a charset other than UTF-8 with 415 unsupported_media_type', async () => {
      for (const charset of ['utf-16', 'UTF-32', 'latin1', 'koi8-r']) {
        const sent = await api().post('/v1/auth/login', undefined, { rawBody: '{}', headers: { 'content-type': `application/json; charset=${charset}` } });
        expectError(sent, 415, 'unsupported_media_type');
      }
    });

    it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
        expectError(await api().post('/v1/auth/login', undefined, { rawBody: 'email=a%40b.c&password=x', headers: { 'content-type': type } }), 415, 'unsupported_media_type');
      }
    });

    it('answers a compression nobody supports with 415, and one the body does not have with 400', async () => {
      const login = (encoding: string) => api().post('/v1/auth/login', { email: 'a@b.c', password: 'x' }, { headers: { 'content-encoding': encoding } });
      expectError(await login('compress'), 415, 'unsupported_media_type');
      expectError(await login('gzip'), 400, 'validation_error');
    });

    it('answers a body over 100 kB with 413 payload_too_large', async () => {
      expectError(await api().post('/v1/auth/guest', { display_name: 'x'.repeat(200_000) }), 413, 'payload_too_large');
    });

    it('still takes a POST without a body, and JSON with its UTF-8 charset', async () => {
      expect((await api().post('/v1/auth/guest')).status).toBe(201);
      const login = await api().post('/v1/auth/login', undefined, {
        rawBody: JSON.stringify({ email: fuzz.guest.email, password: fuzz.guest.password }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(login.status).toBe(200);
    });
  });
});
