import { createEventTables, dropEventTables } from '@vidivo/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBilling1764100200000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    // What billing knows of each call it holds money for; fed by calls' requests and events.
    await db.query(`
      CREATE TABLE billing.call_accounts (
        call_id             char(26)    PRIMARY KEY,
        payment_method_id   text        NOT NULL,
        rate_cents          integer     NOT NULL CHECK (rate_cents > 0),
        window_size_minutes integer     NOT NULL CHECK (window_size_minutes BETWEEN 1 AND 60),
        status              text        NOT NULL DEFAULT 'holding' CHECK (status IN ('holding', 'active', 'ending', 'settled', 'failed')),
        started_at          timestamptz,
        next_hold_at        timestamptz,
        total_due_cents     integer     CHECK (total_due_cents >= 0),
        captured_cents      integer     NOT NULL DEFAULT 0 CHECK (captured_cents >= 0),
        settle_attempts     integer     NOT NULL DEFAULT 0,
        created_at          timestamptz NOT NULL DEFAULT now(),
        settled_at          timestamptz
      )`);
    await db.query(`CREATE INDEX call_accounts_next_hold_idx ON billing.call_accounts (next_hold_at) WHERE status = 'active'`);
    // One authorization per billing window of a call: the key that keeps holds from doubling.
    await db.query(`
      CREATE TABLE billing.holds (
        id                char(26)    PRIMARY KEY,
        call_id           char(26)    NOT NULL REFERENCES billing.call_accounts (call_id),
        window_number     integer     NOT NULL CHECK (window_number >= 1),
        amount_cents      integer     NOT NULL CHECK (amount_cents >= 50),
        status            text        NOT NULL CHECK (status IN ('pending', 'authorized', 'declined', 'captured', 'cancelled', 'failed')),
        payment_intent_id text,
        captured_cents    integer     NOT NULL DEFAULT 0 CHECK (captured_cents >= 0 AND captured_cents <= amount_cents),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT holds_one_per_window UNIQUE (call_id, window_number),
        CONSTRAINT holds_authorized_have_intent CHECK (status IN ('pending', 'declined', 'failed') OR payment_intent_id IS NOT NULL)
      )`);
    // Every request made to Stripe and what came of it, append-only.
    await db.query(`
      CREATE TABLE billing.ledger (
        id                char(26)    PRIMARY KEY,
        call_id           char(26)    NOT NULL,
        hold_id           char(26)    NOT NULL,
        operation         text        NOT NULL CHECK (operation IN ('authorize', 'capture', 'cancel')),
        idempotency_key   text        NOT NULL,
        amount_cents      integer     NOT NULL,
        outcome           text        NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'failed')),
        payment_intent_id text,
        error_code        text,
        error_message     text,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ledger_call_idx ON billing.ledger (call_id, created_at)`);
    await createEventTables(db, 'billing');
  }

  async down(db: QueryRunner): Promise<void> {
    await dropEventTables(db, 'billing');
    await db.query(`DROP TABLE billing.ledger`);
    await db.query(`DROP TABLE billing.holds`);
    await db.query(`DROP TABLE billing.call_accounts`);
  }
}
