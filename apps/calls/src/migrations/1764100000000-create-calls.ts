import { createEventTables, dropEventTables } from '@vidivo/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCalls1764100000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calls.calls (
        id                  char(26)     PRIMARY KEY,
        status              text         NOT NULL CHECK (status IN ('waiting', 'ringing', 'active', 'completed', 'missed', 'failed')),
        link_id             char(26),
        short_code          char(6),
        booking_id          char(26),
        host_id             char(26)     NOT NULL,
        host_name           varchar(100) NOT NULL,
        guest_id            char(26)     NOT NULL,
        guest_name          varchar(100) NOT NULL,
        rate_cents          integer      NOT NULL CHECK (rate_cents BETWEEN 50 AND 99999),
        window_size_minutes integer      NOT NULL CHECK (window_size_minutes BETWEEN 1 AND 60),
        created_at          timestamptz  NOT NULL DEFAULT now(),
        started_at          timestamptz,
        ended_at            timestamptz,
        end_reason          text         CHECK (end_reason IN ('user_ended', 'host_ended', 'timeout', 'billing_error')),
        duration_seconds    integer      NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
        billed_minutes      integer      NOT NULL DEFAULT 0 CHECK (billed_minutes >= 0),
        total_charged_cents integer      NOT NULL DEFAULT 0 CHECK (total_charged_cents >= 0),
        CONSTRAINT calls_host_is_not_guest CHECK (host_id <> guest_id),
        CONSTRAINT calls_ended_has_end CHECK ((status IN ('completed', 'missed', 'failed')) = (ended_at IS NOT NULL)),
        CONSTRAINT calls_active_has_start CHECK (status <> 'active' OR started_at IS NOT NULL)
      )`);
    // History is read newest first per participant; keyset-friendly (created_at, id) order.
    await db.query(`CREATE INDEX calls_host_history_idx ON calls.calls (host_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX calls_guest_history_idx ON calls.calls (guest_id, created_at DESC, id DESC)`);
    // The no-show sweep only looks at calls still waiting for their host.
    await db.query(`CREATE INDEX calls_awaiting_host_idx ON calls.calls (created_at) WHERE status IN ('waiting', 'ringing')`);
    await createEventTables(db, 'calls');
  }

  async down(db: QueryRunner): Promise<void> {
    await dropEventTables(db, 'calls');
    await db.query(`DROP TABLE calls.calls`);
  }
}
