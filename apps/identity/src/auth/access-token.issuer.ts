import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Jwks } from '@vidivo/contracts';
import { ACCESS_TOKEN_ISSUER, AccessTokenClaims, AppConfig, VerificationKeys, signingKeyOf } from '@vidivo/platform';
import { createPublicKey } from 'node:crypto';
import { UserEntity } from '../users/user.entity';
import { IdentitySettings, identitySettings } from '../identity.settings';

/**
 * Signs access tokens (RS256) with JWT_PRIVATE_KEY, its `kid` in their header, and publishes as a
 * JWKS every key a token may still carry: the signing key's, JWT_PUBLIC_KEY and the previous ones
 * (decision 36), so a rotation leaves the tokens already out valid until they expire.
 */
@Injectable()
export class AccessTokenIssuer {
  private readonly jwt: JwtService;
  private readonly jwks: Jwks;
  readonly ttlSeconds: number;

  constructor(config: AppConfig, @Inject(identitySettings.token) settings: IdentitySettings) {
    this.ttlSeconds = settings.ACCESS_TOKEN_TTL_SECONDS;
    const signing = signingKeyOf(config);
    this.jwks = new VerificationKeys(config, [createPublicKey(signing.key)]).jwks();
    this.jwt = new JwtService({
      privateKey: signing.key,
      signOptions: { algorithm: 'RS256', issuer: ACCESS_TOKEN_ISSUER, keyid: signing.kid, expiresIn: this.ttlSeconds },
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
