import { identityApp } from '@vidivo/app-identity';
import { ComposedPlatform, startComposedPlatform } from '@vidivo/testing';
import { gatewayApp } from '@vidivo/app-gateway';

describe('the edge: rate limits, CORS and security headers', () => {
  let platform: ComposedPlatform<undefined>;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'edge_protection',
      apps: [gatewayApp, identityApp],
      env: {
        RATE_LIMIT_PER_MINUTE: '3',
        PUBLIC_WEB_URL: 'https://app.vidivo.test',
        CORS_ORIGINS: 'https://app.vidivo.test, https://admin.vidivo.test',
      },
    });
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('answers 429 rate_limited in the envelope past the limit per minute, per route', async () => {
    const guests = [];
    for (let i = 0; i < 5; i++) guests.push(await platform.api.post('/v1/auth/guest', {}));
    expect(guests.map((response) => response.status)).toEqual([201, 201, 201, 429, 429]);
    expect(guests[3].body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(guests[3].headers.get('retry-after')).toMatch(/^\d+$/);
    // Another limited route still has its own allowance; unlimited routes are not counted.
    expect((await platform.api.post('/v1/auth/login', { email: 'nobody@example.com', password: 'whatever123' })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await platform.api.get('/v1/auth/jwks')).status).toBe(200);
  });

  it('lets the configured web origins call the API from a browser, and nobody else', async () => {
    const preflight = (origin: string) =>
      fetch(`${platform.baseUrl}/v1/calls/links`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-idempotency-key' },
      });
    const allowed = await preflight('https://admin.vidivo.test');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.vidivo.test');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-idempotency-key');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers and no framework fingerprint', async () => {
    const response = await fetch(`${platform.baseUrl}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
