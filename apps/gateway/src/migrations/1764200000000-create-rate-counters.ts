import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixed-window counters shared by every gateway replica: the rate limits of the public routes and
 * the declined payments (decisions 22 and 35). One row per counter; a row whose `expires_at` has
 * passed counts as zero and is reset by its next hit or deleted by the sweeper.
 */
export class CreateRateCounters1764200000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateway.rate_counters (
        key        varchar(200) NOT NULL CHECK (key ~ '^[a-z-]+(:[A-Za-z0-9_-]+)+$'),
        hits       integer      NOT NULL CHECK (hits >= 0),
        expires_at timestamptz  NOT NULL,
        CONSTRAINT rate_counters_pkey PRIMARY KEY (key)
      )`);
    await db.query(`CREATE INDEX rate_counters_expires_at_idx ON gateway.rate_counters (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE gateway.rate_counters`);
  }
}
