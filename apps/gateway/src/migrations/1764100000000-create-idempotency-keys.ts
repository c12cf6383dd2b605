import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (caller, X-Idempotency-Key) (decision 5). `running` rows are held by one attempt
 * (`run_id`) until `locked_until`; `completed` rows hold the answer to replay until `expires_at`.
 * The body is `json`, not `jsonb`, so a replay keeps the original key order.
 */
export class CreateIdempotencyKeys1764100000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateway.idempotency_keys (
        scope           varchar(64)  NOT NULL CHECK (char_length(scope) >= 1),
        key             varchar(255) NOT NULL CHECK (key ~ '^[ -~]{1,255}$'),
        fingerprint     text         NOT NULL CHECK (fingerprint ~ '^[A-Z]+ /[^ ]* [0-9a-f]{64}$'),
        state           varchar(9)   NOT NULL CHECK (state IN ('running', 'completed')),
        run_id          uuid         NOT NULL,
        locked_until    timestamptz,
        response_status smallint     CHECK (response_status BETWEEN 100 AND 599),
        response_body   json,
        created_at      timestamptz  NOT NULL DEFAULT now(),
        expires_at      timestamptz  NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key),
        CONSTRAINT idempotency_keys_running_is_locked CHECK (
          (state = 'running' AND locked_until IS NOT NULL AND response_status IS NULL AND response_body IS NULL)
          OR (state = 'completed' AND locked_until IS NULL AND response_status IS NOT NULL)
        ),
        CONSTRAINT idempotency_keys_expire_after_creation CHECK (expires_at > created_at)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_at_idx ON gateway.idempotency_keys (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE gateway.idempotency_keys`);
  }
}
