import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing as real Stripe needs it (decisions 24–27): a Customer per account, holds that may wait
 * for the guest's card authentication, attempts (a new idempotency key only once Stripe is known
 * to have no record of the last one), authorization deadlines, webhooks handled once, disputes.
 */
export class StripeCustomers1764100600000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE billing.customers (
        user_id            char(26)    PRIMARY KEY,
        stripe_customer_id text        NOT NULL UNIQUE,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`ALTER TABLE billing.call_accounts DROP CONSTRAINT call_accounts_status_check`);
    await db.query(`
      ALTER TABLE billing.call_accounts
        ADD CONSTRAINT call_accounts_status_check CHECK (status IN ('authenticating', 'holding', 'active', 'ending', 'settled', 'failed', 'abandoned')),
        ADD COLUMN customer_id   text,
        ADD COLUMN purpose       text,
        ADD COLUMN receipt_email text,
        ADD COLUMN description   text,
        -- Who is working on the call's holds with Stripe right now; no transaction stays open across a Stripe request.
        ADD COLUMN busy_until    timestamptz`);
    await db.query(`CREATE INDEX call_accounts_authenticating_idx ON billing.call_accounts (created_at) WHERE status = 'authenticating'`);

    await db.query(`ALTER TABLE billing.holds DROP CONSTRAINT holds_status_check`);
    await db.query(`ALTER TABLE billing.holds DROP CONSTRAINT holds_authorized_have_intent`);
    await db.query(`
      ALTER TABLE billing.holds
        ADD CONSTRAINT holds_status_check CHECK (status IN ('pending', 'requires_action', 'authorized', 'declined', 'captured', 'cancelled', 'expired', 'failed')),
        ADD CONSTRAINT holds_authorized_have_intent CHECK (status IN ('pending', 'declined', 'failed') OR payment_intent_id IS NOT NULL),
        -- Part of every idempotency key of the hold; raised only when Stripe has no record of the last try.
        ADD COLUMN attempt        integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
        -- Set before a request goes out: a pending hold with it set has an outcome to look up, not to guess.
        ADD COLUMN requested_at   timestamptz,
        ADD COLUMN capture_before timestamptz`);
    await db.query(`CREATE UNIQUE INDEX holds_payment_intent_idx ON billing.holds (payment_intent_id) WHERE payment_intent_id IS NOT NULL`);

    await db.query(`ALTER TABLE billing.ledger DROP CONSTRAINT ledger_operation_check`);
    await db.query(`ALTER TABLE billing.ledger DROP CONSTRAINT ledger_outcome_check`);
    await db.query(`
      ALTER TABLE billing.ledger
        ADD CONSTRAINT ledger_operation_check CHECK (operation IN ('authorize', 'capture', 'cancel', 'lookup')),
        ADD CONSTRAINT ledger_outcome_check CHECK (outcome IN ('succeeded', 'action_required', 'declined', 'rejected', 'unknown', 'failed'))`);

    // Stripe webhook events already handled, by Stripe's event id.
    await db.query(`
      CREATE TABLE billing.stripe_events (
        id          text        PRIMARY KEY,
        type        text        NOT NULL,
        handled_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE billing.disputes (
        id                text        PRIMARY KEY,
        call_id           char(26)    NOT NULL,
        payment_intent_id text        NOT NULL,
        amount_cents      integer     NOT NULL,
        reason            text        NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE billing.disputes`);
    await db.query(`DROP TABLE billing.stripe_events`);
    await db.query(`ALTER TABLE billing.ledger DROP CONSTRAINT ledger_operation_check, DROP CONSTRAINT ledger_outcome_check`);
    await db.query(`
      ALTER TABLE billing.ledger
        ADD CONSTRAINT ledger_operation_check CHECK (operation IN ('authorize', 'capture', 'cancel')),
        ADD CONSTRAINT ledger_outcome_check CHECK (outcome IN ('succeeded', 'declined', 'failed'))`);
    await db.query(`DROP INDEX billing.holds_payment_intent_idx`);
    await db.query(`ALTER TABLE billing.holds DROP CONSTRAINT holds_status_check, DROP CONSTRAINT holds_authorized_have_intent`);
    await db.query(`ALTER TABLE billing.holds DROP COLUMN attempt, DROP COLUMN requested_at, DROP COLUMN capture_before`);
    await db.query(`
      ALTER TABLE billing.holds
        ADD CONSTRAINT holds_status_check CHECK (status IN ('pending', 'authorized', 'declined', 'captured', 'cancelled', 'failed')),
        ADD CONSTRAINT holds_authorized_have_intent CHECK (status IN ('pending', 'declined', 'failed') OR payment_intent_id IS NOT NULL)`);
    await db.query(`DROP INDEX billing.call_accounts_authenticating_idx`);
    await db.query(`ALTER TABLE billing.call_accounts DROP CONSTRAINT call_accounts_status_check`);
    await db.query(`ALTER TABLE billing.call_accounts DROP COLUMN customer_id, DROP COLUMN purpose, DROP COLUMN receipt_email, DROP COLUMN description, DROP COLUMN busy_until`);
    await db.query(`ALTER TABLE billing.call_accounts ADD CONSTRAINT call_accounts_status_check CHECK (status IN ('holding', 'active', 'ending', 'settled', 'failed'))`);
    await db.query(`DROP TABLE billing.customers`);
  }
}
