import { MigrationInterface, QueryRunner } from 'typeorm';

/** A host may decline a call that rings (decision 30): it ends completed, reason `host_declined`. */
export class HostDeclined1764100800000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(
      `ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error', 'max_duration', 'abandoned', 'host_declined'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE calls.calls DROP CONSTRAINT calls_end_reason_check`);
    await db.query(
      `ALTER TABLE calls.calls ADD CONSTRAINT calls_end_reason_check CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error', 'max_duration', 'abandoned'))`,
    );
  }
}
