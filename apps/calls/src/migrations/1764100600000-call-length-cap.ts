import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls end by themselves at CALL_MAX_MINUTES (decision 28), after a warning a minute before. */
export class CallLengthCap1764100600000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(`ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error', 'max_duration'))`);
    await db.query(`ALTER TABLE calls.calls ADD COLUMN ending_warned_at timestamptz`);
    await db.query(`CREATE INDEX calls_active_started_idx ON calls.calls (started_at) WHERE status = 'active'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX calls.calls_active_started_idx`);
    await db.query(`ALTER TABLE calls.calls DROP COLUMN ending_warned_at`);
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(`ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error'))`);
  }
}
