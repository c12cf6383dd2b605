import { JwtService } from '@nestjs/jwt';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../config';
import { SIGNALING_TOKEN_ISSUER, SignalingTokenIssuer, SignalingTokenVerifier } from './signaling-token';
import { VerificationKeys, jwkOf, keyIdInToken, keyIdOf, keyOfJwk } from './token-keys';

type PemPair = { privateKey: string; publicKey: string };
const newPair = (): PemPair =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const kidOf = (pair: PemPair) => keyIdOf(createPublicKey(pair.publicKey));
const grant = { call_id: 'call-1', participant_id: 'peer-1', call_role: 'guest', display_name: 'Guest' } as const;

describe('signing keys by kid (decision 36)', () => {
  const older = newPair();
  const newer = newPair();

  it('names a key by its RFC 7638 thumbprint (the RFC’s own example, §3.1)', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
    expect(keyIdOf(key)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('reads a JWK back only when its kid is its thumbprint and it is an RS256 key', () => {
    const jwk = jwkOf(createPublicKey(newer.publicKey));
    expect(keyIdOf(keyOfJwk(jwk)!)).toBe(kidOf(newer));
    expect(keyOfJwk({ ...jwk, kid: kidOf(older) })).toBeUndefined();
    expect(keyOfJwk({ ...jwk, alg: 'HS256' })).toBeUndefined();
    expect(keyOfJwk({ kty: 'oct', k: 'c2VjcmV0', kid: 'x' })).toBeUndefined();
  });

  it('reads the kid of a token header, telling a missing kid from a token that is no JWT', () => {
    const sign = (options: { keyid?: string }) => new JwtService({ privateKey: createPrivateKey(newer.privateKey) }).sign({ sub: 'x' }, { algorithm: 'RS256', ...options });
    expect(keyIdInToken(sign({ keyid: 'abc' }))).toBe('abc');
    expect(keyIdInToken(sign({}))).toBeUndefined();
    expect(keyIdInToken('not a token')).toBeNull();
    expect(keyIdInToken(`${Buffer.from('{"kid":7}').toString('base64url')}.e30.sig`)).toBeNull();
  });

  it('accepts the current key and the previous ones, the current first, and publishes them all', () => {
    const config = loadConfig({ JWT_PUBLIC_KEY: newer.publicKey, JWT_PREVIOUS_PUBLIC_KEYS: older.publicKey });
    const keys = new VerificationKeys(config);
    expect(keys.current.kid).toBe(kidOf(newer));
    expect(keyIdOf(keys.find(kidOf(older))!)).toBe(kidOf(older));
    expect(keys.find('unknown')).toBeUndefined();
    expect(keys.jwks().keys.map((key) => key.kid)).toEqual([kidOf(newer), kidOf(older)]);
  });

  it('takes the current public key from JWT_PRIVATE_KEY when JWT_PUBLIC_KEY is not given (identity, calls)', () => {
    expect(new VerificationKeys(loadConfig({ JWT_PRIVATE_KEY: newer.privateKey })).current.kid).toBe(kidOf(newer));
  });

  describe('signaling tokens', () => {
    const issuedWith = (pair: PemPair) => new SignalingTokenIssuer(loadConfig({ JWT_PRIVATE_KEY: pair.privateKey }));

    it('carry the kid of the key that signed them', () => {
      const token = issuedWith(newer).issue(grant);
      expect(keyIdInToken(token.slice('st_'.length))).toBe(kidOf(newer));
    });

    it('signed with the previous key stay valid after the rotation, and not once it is retired', () => {
      const beforeRotation = issuedWith(older).issue(grant);
      const rotated = new SignalingTokenVerifier(loadConfig({ JWT_PUBLIC_KEY: newer.publicKey, JWT_PREVIOUS_PUBLIC_KEYS: older.publicKey }));
      expect(rotated.verify(beforeRotation)).toEqual(grant);
      expect(rotated.verify(issuedWith(newer).issue(grant))).toEqual(grant);
      const retired = new SignalingTokenVerifier(loadConfig({ JWT_PUBLIC_KEY: newer.publicKey }));
      expect(() => retired.verify(beforeRotation)).toThrow('The signaling token is invalid or expired');
    });

    it('without a kid (signed before keys had ids) are checked with the current key only', () => {
      const sign = (pair: PemPair) =>
        `st_${new JwtService({ privateKey: createPrivateKey(pair.privateKey) }).sign({ sub: 'peer-1', call_id: 'call-1', call_role: 'guest', name: 'Guest' }, { algorithm: 'RS256', issuer: SIGNALING_TOKEN_ISSUER, expiresIn: 60 })}`;
      const verifier = new SignalingTokenVerifier(loadConfig({ JWT_PUBLIC_KEY: newer.publicKey, JWT_PREVIOUS_PUBLIC_KEYS: older.publicKey }));
      expect(verifier.verify(sign(newer))).toEqual(grant);
      expect(() => verifier.verify(sign(older))).toThrow('The signaling token is invalid or expired');
    });
  });
});
