import { Injectable, Logger } from '@nestjs/common';
import { Actor, ROLES, Role } from '@vidivo/contracts';
import { KeyObject } from 'node:crypto';
import { AppConfig } from '../config';
import { AppError } from '../errors';
import { MessageBus } from '../messaging/message-bus';
import { VerificationKeys, keyIdInToken, keyIdOf, keyOfJwk, verifyJwt } from './token-keys';

export const ACCESS_TOKEN_ISSUER = 'vidivo';

/** At most one JWKS request to identity in this time, however many tokens with unknown `kid`s arrive. */
export const JWKS_REFRESH_INTERVAL_MS = 10_000;

/** Claims of an access token (decision 6). */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  username: string | null;
}

const invalid = () => AppError.unauthorized('The access token is invalid or expired');

/**
 * Checks RS256 access tokens, never another algorithm, with the key their `kid` names: the
 * configured ones (decision 36), or one identity's JWKS lists. A `kid` it does not know makes it ask
 * identity again, at most once per JWKS_REFRESH_INTERVAL_MS, so a verifier not yet told of a new
 * key learns it from identity instead of refusing the tokens it signs.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger(AccessTokenVerifier.name);
  private readonly configured: VerificationKeys;
  /** The keys of identity's JWKS, as last fetched (replaced at each fetch, so a retired key goes). */
  private fetched = new Map<string, KeyObject>();
  private lastFetch = Number.NEGATIVE_INFINITY;
  private fetching?: Promise<void>;

  constructor(
    config: AppConfig,
    private readonly bus: MessageBus,
  ) {
    this.configured = new VerificationKeys(config);
  }

  /** Checks a token against the keys known now (no JWKS request): for callers that cannot wait. */
  verify(token: string): Actor {
    const kid = keyIdInToken(token);
    if (kid === null) throw invalid();
    const key = this.configured.find(kid) ?? (kid === undefined ? undefined : this.fetched.get(kid));
    if (!key) throw invalid();
    return this.check(token, key);
  }

  /** Checks a token, first asking identity for its keys when its `kid` is unknown here. */
  async authenticate(token: string): Promise<Actor> {
    const kid = keyIdInToken(token);
    if (typeof kid === 'string' && !this.configured.find(kid) && !this.fetched.has(kid)) await this.refreshKeys();
    return this.verify(token);
  }

  private check(token: string, key: KeyObject): Actor {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = verifyJwt<AccessTokenClaims>(token, key, { algorithms: ['RS256'], issuer: ACCESS_TOKEN_ISSUER });
    } catch {
      throw invalid();
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) throw invalid();
    return { id: claims.sub, role: claims.role as Role, username: claims.username ?? null };
  }

  private refreshKeys(): Promise<void> {
    if (this.fetching) return this.fetching;
    if (performance.now() - this.lastFetch < JWKS_REFRESH_INTERVAL_MS) return Promise.resolve();
    this.lastFetch = performance.now();
    this.fetching = this.fetchKeys().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const { keys } = await this.bus.request('identity.auth.jwks', {});
      const usable = keys.map(keyOfJwk).filter((key): key is KeyObject => key !== undefined);
      this.fetched = new Map(usable.map((key) => [keyIdOf(key), key]));
    } catch (error) {
      // Identity unreachable: the configured keys still work; the unknown token is refused.
      this.logger.warn(`could not fetch identity's JWKS: ${(error as Error).message}`);
    }
  }
}
