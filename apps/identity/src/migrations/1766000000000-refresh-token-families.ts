import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family's revocation becomes one row of its own, checked when any of its tokens is used: a
 * token the family gains after it was revoked (a rotation still under way when the reuse was
 * detected) is dead too, which marking the tokens one by one could not ensure.
 */
export class RefreshTokenFamilies1766000000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.refresh_token_families (
        id          char(26)    PRIMARY KEY,
        user_id     char(26)    NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
    await db.query(`
      INSERT INTO identity.refresh_token_families (id, user_id, created_at, revoked_at)
      SELECT family_id, min(user_id), min(created_at), max(revoked_at) FROM identity.refresh_tokens GROUP BY family_id`);
    await db.query(`
      ALTER TABLE identity.refresh_tokens
        ADD CONSTRAINT refresh_tokens_family_fkey FOREIGN KEY (family_id) REFERENCES identity.refresh_token_families (id) ON DELETE CASCADE,
        DROP COLUMN revoked_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity.refresh_tokens ADD COLUMN revoked_at timestamptz, DROP CONSTRAINT refresh_tokens_family_fkey`);
    await db.query(`UPDATE identity.refresh_tokens t SET revoked_at = f.revoked_at FROM identity.refresh_token_families f WHERE f.id = t.family_id`);
    await db.query(`DROP TABLE identity.refresh_token_families`);
  }
}
