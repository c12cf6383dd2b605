import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Actor, ROLES, Role } from '@vidivo/contracts';
import { AppConfig } from '../config';
import { AppError } from '../errors';

export const ACCESS_TOKEN_ISSUER = 'vidivo';

/** Claims of an access token (decision 6). */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  username: string | null;
}

/** Checks RS256 access tokens against the configured public key; never accepts another algorithm. */
@Injectable()
export class AccessTokenVerifier {
  private readonly jwt: JwtService;

  constructor(config: AppConfig) {
    this.jwt = new JwtService({ publicKey: config.jwtVerificationKey });
  }

  verify(token: string): Actor {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['RS256'], issuer: ACCESS_TOKEN_ISSUER });
    } catch {
      throw AppError.unauthorized('The access token is invalid or expired');
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) {
      throw AppError.unauthorized('The access token is invalid or expired');
    }
    return { id: claims.sub, role: claims.role as Role, username: claims.username ?? null };
  }
}
