import { createEventTables, dropEventTables } from '@vidivo/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateScheduling1764100300000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // btree_gist lets one exclusion constraint compare the host (=) and the time range (&&).
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await db.query(`
      CREATE TABLE scheduling.availability (
        host_id             char(26)    PRIMARY KEY,
        timezone            text        NOT NULL,
        rate_cents          integer     NOT NULL CHECK (rate_cents BETWEEN 50 AND 99999),
        window_size_minutes integer     NOT NULL CHECK (window_size_minutes BETWEEN 1 AND 60),
        slot_minutes        integer     NOT NULL CHECK (slot_minutes BETWEEN 15 AND 240),
        weekly              jsonb       NOT NULL,
        date_overrides      jsonb       NOT NULL,
        min_notice_minutes  integer     NOT NULL CHECK (min_notice_minutes >= 0),
        buffer_minutes      integer     NOT NULL CHECK (buffer_minutes >= 0),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE scheduling.bookings (
        id                  char(26)     PRIMARY KEY,
        host_id             char(26)     NOT NULL,
        host_name           varchar(100) NOT NULL,
        guest_id            char(26)     NOT NULL,
        guest_name          varchar(100) NOT NULL,
        scheduled_at        timestamptz  NOT NULL,
        duration_minutes    integer      NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
        ends_at             timestamptz  NOT NULL,
        -- The end of the booking plus the host's buffer: the time nobody else may book.
        blocked_until       timestamptz  NOT NULL,
        note                varchar(1000),
        rate_cents          integer      NOT NULL CHECK (rate_cents BETWEEN 50 AND 99999),
        window_size_minutes integer      NOT NULL CHECK (window_size_minutes BETWEEN 1 AND 60),
        status              text         NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
        created_at          timestamptz  NOT NULL DEFAULT now(),
        cancelled_at        timestamptz,
        cancelled_by        char(26),
        cancel_reason       varchar(500),
        CONSTRAINT bookings_host_is_not_guest CHECK (host_id <> guest_id),
        CONSTRAINT bookings_span_is_ordered CHECK (scheduled_at < ends_at AND ends_at <= blocked_until),
        CONSTRAINT bookings_cancel_is_recorded CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        -- No two confirmed bookings of one host overlap, buffers included, however requests interleave.
        CONSTRAINT bookings_no_overlap EXCLUDE USING gist (host_id WITH =, tstzrange(scheduled_at, blocked_until, '[)') WITH &&)
          WHERE (status = 'confirmed')
      )`);
    await db.query(`CREATE INDEX bookings_host_idx ON scheduling.bookings (host_id, scheduled_at DESC, id DESC)`);
    await db.query(`CREATE INDEX bookings_guest_idx ON scheduling.bookings (guest_id, scheduled_at DESC, id DESC)`);
    await createEventTables(db, 'scheduling');
  }

  async down(db: QueryRunner): Promise<void> {
    await dropEventTables(db, 'scheduling');
    await db.query(`DROP TABLE scheduling.bookings`);
    await db.query(`DROP TABLE scheduling.availability`);
  }
}
