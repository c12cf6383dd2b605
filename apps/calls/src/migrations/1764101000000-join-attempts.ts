import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joins by the client's idempotency key (decision 32): the call a key's join is making, and its
 * answer once there is one, so a retry after a lost answer gets that answer instead of a second call.
 */
export class JoinAttempts1764101000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calls.join_attempts (
        join_key   char(64)    PRIMARY KEY CHECK (join_key ~ '^[0-9a-f]{64}$'),
        call_id    char(26)    NOT NULL,
        -- The join's answer; null while it runs (or if it died: the attempt is taken over after the grace).
        answer     jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX join_attempts_created_idx ON calls.join_attempts (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE calls.join_attempts`);
  }
}
