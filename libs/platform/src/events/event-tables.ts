import { QueryRunner } from 'typeorm';

/**
 * The outbox (events a domain committed and has yet to deliver) and the inbox (events a domain's
 * consumers have handled, to drop redeliveries). Every app with events creates both in its own
 * schema from one of its migrations.
 */
export async function createEventTables(db: QueryRunner, schema: string): Promise<void> {
  await db.query(`
    CREATE TABLE "${schema}".outbox (
      id              char(26)    PRIMARY KEY,
      subject         text        NOT NULL,
      payload         jsonb       NOT NULL,
      occurred_at     timestamptz NOT NULL DEFAULT now(),
      published_at    timestamptz,
      attempts        integer     NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error      text
    )`);
  await db.query(`CREATE INDEX outbox_pending_idx ON "${schema}".outbox (next_attempt_at, id) WHERE published_at IS NULL`);
  await db.query(`
    CREATE TABLE "${schema}".inbox (
      consumer     text        NOT NULL,
      event_id     char(26)    NOT NULL,
      subject      text        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
}

export async function dropEventTables(db: QueryRunner, schema: string): Promise<void> {
  await db.query(`DROP TABLE "${schema}".inbox`);
  await db.query(`DROP TABLE "${schema}".outbox`);
}

/** The Postgres channel a schema's outbox announces new rows on (NOTIFY is delivered at commit). */
export const outboxChannel = (schema: string) => `vidivo_outbox_${schema}`;
