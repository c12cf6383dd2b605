import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ulid } from 'ulid';
import { IDENTITY_SCHEMA, IDENTITY_TABLES } from '../identity.schema';
import { RefreshTokenEntity } from './refresh-token.entity';
import { IdentitySettings, identitySettings } from '../identity.settings';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotationOutcome = { kind: 'rotated'; userId: string; familyId: string } | { kind: 'reused' } | { kind: 'unknown' };

@Injectable()
export class RefreshTokensRepository {
  private readonly ttlMs: number;

  constructor(
    @InjectRepository(RefreshTokenEntity, IDENTITY_SCHEMA) private readonly tokens: Repository<RefreshTokenEntity>,
    @Inject(identitySettings.token) settings: IdentitySettings,
  ) {
    this.ttlMs = settings.REFRESH_TOKEN_TTL_DAYS * 24 * 3600 * 1000;
  }

  /** Creates a token; only its hash is kept. */
  async create(userId: string, familyId: string = ulid()): Promise<string> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    await this.tokens.insert({
      id: ulid(),
      userId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    return token;
  }

  /**
   * Marks a token used in one statement, so of two concurrent refreshes with the same token only
   * one wins. A token presented again after use means it leaked: its whole family is revoked.
   */
  async consume(token: string): Promise<RotationOutcome> {
    const tokenHash = sha256(token);
    const [rows] = await this.tokens.query<[Array<{ user_id: string; family_id: string }>, number]>(
      `UPDATE ${IDENTITY_TABLES.refreshTokens} SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING user_id, family_id`,
      [tokenHash],
    );
    const consumed = rows[0];
    if (consumed) return { kind: 'rotated', userId: consumed.user_id, familyId: consumed.family_id };

    const known = await this.tokens.findOneBy({ tokenHash });
    if (!known?.usedAt) return { kind: 'unknown' };
    await this.tokens.update({ familyId: known.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return { kind: 'reused' };
  }
}
