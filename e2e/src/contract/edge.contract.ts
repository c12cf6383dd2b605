import { HttpClient, expectError } from '@vidivo/testing';

/** What every request meets before any domain logic: health, routing, body parsing. */
export function describeEdgeContract(api: () => HttpClient): void {
  describe('the HTTP edge', () => {
    it('is live and ready', async () => {
      const live = await api().get('/health/live');
      const ready = await api().get('/health/ready');
      expect(live.status).toBe(200);
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['transport']));
    });

    it('answers unknown routes with 404 in the envelope', async () => {
      expectError(await api().get('/v1/nothing-here'), 404, 'not_found');
      expectError(await api().post('/v1/calls/links/abc123/info'), 404, 'not_found');
    });

    it('answers malformed JSON with 400, never 500', async () => {
      const response = await api().post('/v1/auth/login', undefined, { rawBody: '{"email": "a@b.c", ' });
      expectError(response, 400, 'validation_error');
    });

    it('answers a body over the size limit with 413 payload_too_large', async () => {
      expectError(await api().post('/v1/auth/login', { email: 'a@b.c', password: 'x'.repeat(200_000) }), 413, 'payload_too_large');
    });

    it('refuses a JSON array or scalar where an object belongs', async () => {
      expectError(await api().post('/v1/auth/login', undefined, { rawBody: '[1,2]' }), 400, 'validation_error');
      expectError(await api().post('/v1/auth/login', undefined, { rawBody: '"text"' }), 400, 'validation_error');
    });

    it('answers a body that is not JSON in UTF-8 with 415 unsupported_media_type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16']) {
        expectError(await api().post('/v1/auth/login', undefined, { rawBody: '{}', headers: { 'content-type': type } }), 415, 'unsupported_media_type');
      }
    });

    it('refuses a body nested 5,000 levels deep, and a NUL in a path segment, with 400, never 500 (decision 31)', async () => {
      const deep = `{"email":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectError(await api().post('/v1/auth/login', undefined, { rawBody: deep }), 400, 'validation_error');
      const nul = await api().get('/v1/calls/links/ab%00cd/info');
      expectError(nul, 400, 'validation_error');
      expect(nul.body.error.details).toEqual([{ field: 'shortCode', message: expect.any(String) }]);
    });

    it('does not say which framework it runs on', async () => {
      const response = await api().get('/health/live');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });
  });
}
