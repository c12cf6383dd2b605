import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { keyIdOf, metricsRegistry } from '@vidivo/platform';
import { ComposedPlatform, HttpClient, InProcessApp, registerAccount, startComposedPlatform, testJwtKeys } from '@vidivo/testing';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

type PemPair = { privateKey: string; publicKey: string };

const newPair = (): PemPair =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const kidOf = (pair: PemPair) => keyIdOf(createPublicKey(pair.publicKey));
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());

/** An access token as identity would sign it, with any key and `kid`: what an attacker (or a retired key) could present. */
function forge(pair: PemPair, kid: string, sub: string): string {
  return new JwtService({ privateKey: createPrivateKey(pair.privateKey) }).sign(
    { sub, role: 'user', username: null },
    { algorithm: 'RS256', issuer: 'vidivo', keyid: kid, expiresIn: 300 },
  );
}

/** How many times this process has asked identity for its JWKS over the bus. */
async function jwksRequests(): Promise<number> {
  const text = await metricsRegistry.getSingleMetricAsString('bus_request_duration_seconds');
  return [...text.matchAll(/^bus_request_duration_seconds_count\{subject="identity\.auth\.jwks",[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Signing keys rotated without logging anyone out (decision 36): tokens carry the `kid` of the key
 * that signed them, the JWKS lists the current and the previous keys, and the gateway picks the
 * key by `kid`, asking identity when it meets one it was not told of.
 */
describe('signing key rotation (gateway + identity, real Postgres)', () => {
  const oldPair = testJwtKeys();
  const newKeys = newPair();
  let before: ComposedPlatform<undefined>;
  /** The same apps and database after the switch: signing with the new key, the old one still accepted. */
  let after: InProcessApp;
  let afterApi: HttpClient;

  beforeAll(async () => {
    before = await startComposedPlatform({ name: 'key_rotation', apps: [gatewayApp, identityApp] });
    after = await before.startAnother({ JWT_PRIVATE_KEY: newKeys.privateKey, JWT_PUBLIC_KEY: newKeys.publicKey, JWT_PREVIOUS_PUBLIC_KEYS: oldPair.publicKey });
    afterApi = new HttpClient(after.baseUrl);
  });

  afterAll(async () => {
    await before?.close();
  });

  it('puts the kid of the signing key (its RFC 7638 thumbprint) in the header of the tokens', async () => {
    const signedBefore = await registerAccount(before.api);
    const signedAfter = await registerAccount(afterApi);
    expect(headerOf(signedBefore.token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: kidOf(oldPair) });
    expect(headerOf(signedAfter.token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: kidOf(newKeys) });
  });

  it('keeps the access and refresh tokens issued before the rotation working after it', async () => {
    const account = await registerAccount(before.api);
    const me = await afterApi.get('/v1/users/me', { token: account.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(account.id);

    const refreshed = await afterApi.post('/v1/auth/refresh', { refresh_token: account.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(headerOf(refreshed.body.access_token).kid).toBe(kidOf(newKeys));
    expect((await afterApi.get('/v1/users/me', { token: refreshed.body.access_token })).status).toBe(200);
  });

  it('lists the new and the previous key in the JWKS, by kid', async () => {
    const jwks = await afterApi.get('/v1/auth/jwks');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([kidOf(newKeys), kidOf(oldPair)]);
    for (const key of jwks.body.keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' });
    // Each entry is the key its kid names.
    const oldJwk = jwks.body.keys[1];
    expect(keyIdOf(createPublicKey({ key: { kty: 'RSA', n: oldJwk.n, e: oldJwk.e }, format: 'jwk' }))).toBe(oldJwk.kid);
  });

  it('refuses a token whose kid names no key it accepts, and one signed by another key than its kid names', async () => {
    const account = await registerAccount(afterApi);
    const stranger = newPair();
    for (const token of [forge(stranger, kidOf(stranger), account.id), forge(stranger, kidOf(newKeys), account.id), forge(stranger, 'made-up', account.id)]) {
      const response = await afterApi.get('/v1/users/me', { token });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
  });

  it('refuses the old key once it is retired', async () => {
    const account = await registerAccount(before.api);
    const retired = await before.startAnother({ JWT_PRIVATE_KEY: newKeys.privateKey, JWT_PUBLIC_KEY: newKeys.publicKey });
    try {
      const api = new HttpClient(retired.baseUrl);
      expect((await api.get('/v1/users/me', { token: account.token })).status).toBe(401);
      expect((await api.get('/v1/auth/jwks')).body.keys.map((key: { kid: string }) => key.kid)).toEqual([kidOf(newKeys)]);
    } finally {
      await retired.close();
    }
  });

  it("learns a key it was not told of from identity's JWKS, and asks at most once per JWKS_REFRESH_INTERVAL_MS however many unknown kids arrive", async () => {
    // The gateway still configured with the old public key only, identity already signing with the new one.
    const lagging = await before.startAnother({ JWT_PRIVATE_KEY: newKeys.privateKey, JWT_PUBLIC_KEY: oldPair.publicKey });
    try {
      const api = new HttpClient(lagging.baseUrl);
      const account = await registerAccount(api);
      expect(headerOf(account.token).kid).toBe(kidOf(newKeys));
      const asked = await jwksRequests();
      expect((await api.get('/v1/users/me', { token: account.token })).status).toBe(200);
      expect(await jwksRequests()).toBe(asked + 1);

      const stranger = newPair();
      const unknown = await Promise.all(Array.from({ length: 20 }, (_, i) => api.get('/v1/users/me', { token: forge(stranger, `unknown-${i}`, account.id) })));
      expect(unknown.map((response) => response.status)).toEqual(Array(20).fill(401));
      expect(await jwksRequests()).toBe(asked + 1);
    } finally {
      await lagging.close();
    }
  });
});
