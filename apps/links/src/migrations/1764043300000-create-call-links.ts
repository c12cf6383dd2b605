import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCallLinks1764043300000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE links.call_links (
        id                  char(26)     PRIMARY KEY,
        short_code          char(6)      NOT NULL CHECK (short_code ~ '^[a-z0-9]{6}$'),
        host_id             char(26)     NOT NULL,
        rate_cents          integer      NOT NULL CHECK (rate_cents BETWEEN 50 AND 99999),
        window_size_minutes integer      NOT NULL CHECK (window_size_minutes BETWEEN 1 AND 60),
        expires_at          timestamptz,
        max_uses            integer      CHECK (max_uses >= 1),
        use_count           integer      NOT NULL DEFAULT 0 CHECK (use_count >= 0),
        label               varchar(120),
        is_active           boolean      NOT NULL DEFAULT true,
        created_at          timestamptz  NOT NULL DEFAULT now(),
        deactivated_at      timestamptz,
        CONSTRAINT call_links_short_code_key UNIQUE (short_code),
        CONSTRAINT call_links_uses_within_max CHECK (max_uses IS NULL OR use_count <= max_uses)
      )`);
    await db.query(`CREATE INDEX call_links_host_created_idx ON links.call_links (host_id, created_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE links.call_links`);
  }
}
