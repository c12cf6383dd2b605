import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Jwks } from '@vidivo/contracts';
import { ACCESS_TOKEN_ISSUER, AccessTokenClaims, AppConfig } from '@vidivo/platform';
import { createHash, createPublicKey } from 'node:crypto';
import { UserEntity } from '../users/user.entity';
import { IdentitySettings, identitySettings } from '../identity.settings';

/** Signs access tokens (RS256) and publishes the matching public key as a JWKS. */
@Injectable()
export class AccessTokenIssuer {
  private readonly jwt: JwtService;
  private readonly jwks: Jwks;
  readonly ttlSeconds: number;

  constructor(config: AppConfig, @Inject(identitySettings.token) settings: IdentitySettings) {
    this.ttlSeconds = settings.ACCESS_TOKEN_TTL_SECONDS;
    const publicJwk = createPublicKey(config.jwtPrivateKey).export({ format: 'jwk' }) as { kty: string; n: string; e: string };
    // RFC 7638 thumbprint: a key id that changes exactly when the key does.
    const kid = createHash('sha256')
      .update(JSON.stringify({ e: publicJwk.e, kty: publicJwk.kty, n: publicJwk.n }))
      .digest('base64url');
    this.jwks = { keys: [{ kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e, kid, alg: 'RS256', use: 'sig' }] };
    this.jwt = new JwtService({
      privateKey: config.jwtSigningKey,
      signOptions: { algorithm: 'RS256', issuer: ACCESS_TOKEN_ISSUER, keyid: kid, expiresIn: this.ttlSeconds },
    });
  }

  issue(user: UserEntity): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, username: user.username };
    return this.jwt.sign(claims);
  }

  publicKeys(): Jwks {
    return this.jwks;
  }
}
