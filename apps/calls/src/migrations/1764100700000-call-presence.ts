import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What calls knows of its participants' signaling connections, from signaling's events
 * (decision 28): one row per connection, open while it lives. A call whose participant has had no
 * open connection for CALL_ABANDON_SECONDS ends `abandoned`.
 */
export class CallPresence1764100700000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calls.call_connections (
        call_id         char(26)    NOT NULL,
        role            text        NOT NULL CHECK (role IN ('guest', 'host')),
        conn            text        NOT NULL,
        connected_at    timestamptz,
        disconnected_at timestamptz,
        PRIMARY KEY (call_id, role, conn)
      )`);
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(
      `ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error', 'max_duration', 'abandoned'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(`ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error', 'max_duration'))`);
    await db.query(`DROP TABLE calls.call_connections`);
  }
}
