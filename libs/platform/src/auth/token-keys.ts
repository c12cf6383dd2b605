import { JwtService, JwtVerifyOptions } from '@nestjs/jwt';
import { Jwks } from '@vidivo/contracts';
import { KeyObject, createHash, createPublicKey } from 'node:crypto';
import { AppConfig } from '../config';

/** An RSA public key as a JWK (RFC 7517) in identity's JWKS. */
export type RsaJwk = { kty: string; n: string; e: string; kid: string; alg: string; use: string };

/** RFC 7638 thumbprint of an RSA public key: a `kid` that changes exactly when the key does. */
export function keyIdOf(key: KeyObject): string {
  const { e, kty, n } = key.export({ format: 'jwk' }) as { e: string; kty: string; n: string };
  // The required members in lexicographic order, no whitespace (RFC 7638 §3).
  return createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

export function jwkOf(key: KeyObject): RsaJwk {
  const { kty, n, e } = key.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kty, n, e, kid: keyIdOf(key), alg: 'RS256', use: 'sig' };
}

/** The key of a JWK from a JWKS, or undefined when it is not an RS256 signing key whose `kid` is its thumbprint. */
export function keyOfJwk(jwk: Record<string, string>): KeyObject | undefined {
  if (jwk.kty !== 'RSA' || (jwk.alg !== undefined && jwk.alg !== 'RS256') || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    return keyIdOf(key) === jwk.kid ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The `kid` in a JWT's header: undefined without one, null when the token is not a JWT at all. */
export function keyIdInToken(token: string): string | undefined | null {
  const [encodedHeader] = token.split('.', 1);
  try {
    const header: unknown = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null) return null;
    const kid = (header as { kid?: unknown }).kid;
    return kid === undefined ? undefined : typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/**
 * The keys this process checks tokens with (decision 36): the current one (JWT_PUBLIC_KEY, or the
 * public half of JWT_PRIVATE_KEY) and the previous ones (JWT_PREVIOUS_PUBLIC_KEYS), by `kid`.
 */
export class VerificationKeys {
  readonly current: { kid: string; key: KeyObject };
  private readonly byId: Map<string, KeyObject>;

  /** `also`: keys accepted besides the configured ones (identity's own signing key, whatever JWT_PUBLIC_KEY says). */
  constructor(config: AppConfig, also: KeyObject[] = []) {
    const current = config.jwtVerificationKey;
    this.current = { kid: keyIdOf(current), key: current };
    this.byId = new Map([current, ...also, ...config.jwtPreviousVerificationKeys].map((key) => [keyIdOf(key), key]));
  }

  /** The key for a token's `kid`; a token without one (signed before keys had ids) is checked with the current key. */
  find(kid: string | undefined): KeyObject | undefined {
    return kid === undefined ? this.current.key : this.byId.get(kid);
  }

  /** Every accepted key, the current one first: what identity publishes as its JWKS. */
  jwks(): Jwks {
    return { keys: [...this.byId.values()].map(jwkOf) };
  }
}

/** The key that signs this process's tokens, with its `kid` for their header. */
export function signingKeyOf(config: AppConfig): { kid: string; key: KeyObject } {
  const key = config.jwtSigningKey;
  return { kid: keyIdOf(createPublicKey(key)), key };
}

const verifiers = new WeakMap<KeyObject, JwtService>();

/** Verifies a JWT with one given key (@nestjs/jwt takes a KeyObject only at construction). */
export function verifyJwt<T extends object>(token: string, key: KeyObject, options: Omit<JwtVerifyOptions, 'publicKey' | 'secret'>): T {
  let jwt = verifiers.get(key);
  if (!jwt) verifiers.set(key, (jwt = new JwtService({ publicKey: key })));
  return jwt.verify<T>(token, options);
}
