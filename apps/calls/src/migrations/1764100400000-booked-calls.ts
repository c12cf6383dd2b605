import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Booked calls (decision 18): who has joined so far, and when the host is expected, so the no-show
 * threshold counts from the booked start rather than from a guest who came early.
 */
export class BookedCalls1764100400000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE calls.calls ADD COLUMN host_joined_at timestamptz, ADD COLUMN guest_joined_at timestamptz`);
    await db.query(`ALTER TABLE calls.calls ADD COLUMN expected_at timestamptz`);
    await db.query(`UPDATE calls.calls SET expected_at = created_at, guest_joined_at = created_at, host_joined_at = started_at`);
    await db.query(`ALTER TABLE calls.calls ALTER COLUMN expected_at SET NOT NULL`);
    await db.query(`DROP INDEX calls.calls_awaiting_host_idx`);
    await db.query(`CREATE INDEX calls_awaiting_host_idx ON calls.calls (expected_at) WHERE status IN ('waiting', 'ringing')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX calls.calls_awaiting_host_idx`);
    await db.query(`CREATE INDEX calls_awaiting_host_idx ON calls.calls (created_at) WHERE status IN ('waiting', 'ringing')`);
    await db.query(`ALTER TABLE calls.calls DROP COLUMN expected_at, DROP COLUMN guest_joined_at, DROP COLUMN host_joined_at`);
  }
}
