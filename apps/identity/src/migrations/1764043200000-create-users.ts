import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764043200000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity.users (
        id            char(26)      PRIMARY KEY,
        email         varchar(254),
        username      varchar(30),
        password_hash text,
        display_name  varchar(100)  NOT NULL,
        avatar_url    varchar(2048),
        timezone      varchar(64),
        role          varchar(10)   NOT NULL CHECK (role IN ('user', 'host', 'admin', 'guest')),
        created_at    timestamptz   NOT NULL DEFAULT now(),
        updated_at    timestamptz   NOT NULL DEFAULT now(),
        CHECK (role = 'guest' OR email IS NOT NULL),
        CHECK (username IS NULL OR username ~ '^[a-z0-9_]{3,30}$')
      )`);
    // Guests may reuse an address; accounts may not.
    await db.query(`CREATE UNIQUE INDEX users_email_key ON identity.users (lower(email)) WHERE role <> 'guest'`);
    await db.query(`CREATE UNIQUE INDEX users_username_key ON identity.users (username)`);
    await db.query(`
      CREATE TABLE identity.refresh_tokens (
        id          char(26)    PRIMARY KEY,
        user_id     char(26)    NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        family_id   char(26)    NOT NULL,
        token_hash  char(64)    NOT NULL UNIQUE,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON identity.refresh_tokens (family_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE identity.refresh_tokens`);
    await db.query(`DROP TABLE identity.users`);
  }
}
