import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ulid } from 'ulid';
import { IDENTITY_SCHEMA, IDENTITY_TABLES } from '../identity.schema';
import { IdentitySettings, identitySettings } from '../identity.settings';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const { refreshTokens: TOKENS, refreshTokenFamilies: FAMILIES } = IDENTITY_TABLES;

export type RotationOutcome = { kind: 'rotated'; userId: string; familyId: string } | { kind: 'reused' } | { kind: 'unknown' };

@Injectable()
export class RefreshTokensRepository {
  private readonly ttlMs: number;

  constructor(
    @InjectDataSource(IDENTITY_SCHEMA) private readonly db: DataSource,
    @Inject(identitySettings.token) settings: IdentitySettings,
  ) {
    this.ttlMs = settings.REFRESH_TOKEN_TTL_DAYS * 24 * 3600 * 1000;
  }

  /** A new sign-in's first token, in a family of its own; only its hash is kept. */
  async startFamily(userId: string): Promise<string> {
    const token = newToken();
    await this.db.query(
      `WITH family AS (INSERT INTO ${FAMILIES} (id, user_id) VALUES ($1, $2) RETURNING id)
       INSERT INTO ${TOKENS} (id, user_id, family_id, token_hash, expires_at) SELECT $3, $2, id, $4, $5 FROM family`,
      [ulid(), userId, ulid(), sha256(token), this.expiry()],
    );
    return token;
  }

  /** The next token of a family, after `consume` rotated the previous one. */
  async continueFamily(userId: string, familyId: string): Promise<string> {
    const token = newToken();
    await this.db.query(`INSERT INTO ${TOKENS} (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      ulid(),
      userId,
      familyId,
      sha256(token),
      this.expiry(),
    ]);
    return token;
  }

  /**
   * Marks a token used in one statement, so of concurrent refreshes with the same token only one
   * wins. A token presented again after use means it leaked: its family is revoked, and since the
   * family's row is checked on every use, so is a token a rotation still under way adds to it.
   */
  async consume(token: string): Promise<RotationOutcome> {
    const tokenHash = sha256(token);
    const [rows] = await this.db.query<[Array<{ user_id: string; family_id: string }>, number]>(
      `UPDATE ${TOKENS} t SET used_at = now() FROM ${FAMILIES} f
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND f.id = t.family_id AND f.revoked_at IS NULL
        RETURNING t.user_id, t.family_id`,
      [tokenHash],
    );
    const consumed = rows[0];
    if (consumed) return { kind: 'rotated', userId: consumed.user_id, familyId: consumed.family_id };

    const [used] = await this.db.query<[Array<{ family_id: string }>, number]>(
      `UPDATE ${FAMILIES} f SET revoked_at = coalesce(f.revoked_at, now()) FROM ${TOKENS} t
        WHERE t.token_hash = $1 AND t.used_at IS NOT NULL AND f.id = t.family_id
        RETURNING f.id AS family_id`,
      [tokenHash],
    );
    return used.length ? { kind: 'reused' } : { kind: 'unknown' };
  }

  private expiry(): Date {
    return new Date(Date.now() + this.ttlMs);
  }
}

function newToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}
