import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config';
import { AppError } from '../errors';
import { VerificationKeys, keyIdInToken, signingKeyOf, verifyJwt } from './token-keys';

/** A different issuer from access tokens, so neither kind of token is ever accepted as the other. */
export const SIGNALING_TOKEN_ISSUER = 'vidivo-signaling';
export const SIGNALING_TOKEN_PREFIX = 'st_';
/** Good for connecting for 5 minutes; an open connection is not cut when it ages (decision 15). */
export const SIGNALING_TOKEN_TTL_SECONDS = 300;

export type CallRole = 'host' | 'guest';

export interface SignalingGrant {
  call_id: string;
  participant_id: string;
  call_role: CallRole;
  display_name: string;
}

interface SignalingClaims {
  sub: string;
  call_id: string;
  call_role: CallRole;
  name: string;
}

/** Signs `st_…` tokens (RS256, with the same key pair as access tokens, its `kid` in their header). Calls uses it. */
@Injectable()
export class SignalingTokenIssuer {
  private readonly jwt: JwtService;

  constructor(config: AppConfig) {
    const signing = signingKeyOf(config);
    this.jwt = new JwtService({
      privateKey: signing.key,
      signOptions: { algorithm: 'RS256', issuer: SIGNALING_TOKEN_ISSUER, keyid: signing.kid, expiresIn: SIGNALING_TOKEN_TTL_SECONDS },
    });
  }

  issue(grant: SignalingGrant): string {
    const claims: SignalingClaims = { sub: grant.participant_id, call_id: grant.call_id, call_role: grant.call_role, name: grant.display_name };
    return SIGNALING_TOKEN_PREFIX + this.jwt.sign(claims);
  }
}

/** Checks `st_…` tokens with the configured key their `kid` names (decision 36). The signaling edge uses it. */
@Injectable()
export class SignalingTokenVerifier {
  private readonly keys: VerificationKeys;

  constructor(config: AppConfig) {
    this.keys = new VerificationKeys(config);
  }

  verify(token: string): SignalingGrant {
    const invalid = () => AppError.unauthorized('The signaling token is invalid or expired');
    if (!token.startsWith(SIGNALING_TOKEN_PREFIX)) throw invalid();
    const jwt = token.slice(SIGNALING_TOKEN_PREFIX.length);
    const kid = keyIdInToken(jwt);
    const key = kid === null ? undefined : this.keys.find(kid);
    if (!key) throw invalid();
    let claims: Partial<SignalingClaims>;
    try {
      claims = verifyJwt<SignalingClaims>(jwt, key, { algorithms: ['RS256'], issuer: SIGNALING_TOKEN_ISSUER });
    } catch {
      throw invalid();
    }
    if (typeof claims.sub !== 'string' || typeof claims.call_id !== 'string' || (claims.call_role !== 'host' && claims.call_role !== 'guest')) throw invalid();
    return { call_id: claims.call_id, participant_id: claims.sub, call_role: claims.call_role, display_name: claims.name ?? '' };
  }
}
