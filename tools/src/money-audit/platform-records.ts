import { BILLING_TABLES } from '@vidivo/app-billing';
import { CALLS_TABLES } from '@vidivo/app-calls';
import { Client } from 'pg';

/**
 * The tables read, as calls and billing name them. The audit reads both schemas, which no app
 * does: it is an operator's check from outside, read-only, in one snapshot.
 */
const TABLES = { calls: CALLS_TABLES.calls, callAccounts: BILLING_TABLES.callAccounts, holds: BILLING_TABLES.holds, ledger: BILLING_TABLES.ledger } as const;

/** A call as calls records it; `ended_at` is set once it is completed, missed or failed. */
export interface CallRecord {
  id: string;
  status: string;
  ended_at: Date | null;
  total_charged_cents: number;
}

/** What billing knows of a call it held money for; a call whose guest never came back from card authentication has only this. */
export interface AccountRecord {
  call_id: string;
  status: string;
  created_at: Date;
  settled_at: Date | null;
}

export interface HoldRecord {
  id: string;
  call_id: string;
  window_number: number;
  amount_cents: number;
  status: string;
  payment_intent_id: string | null;
  captured_cents: number;
  updated_at: Date;
}

export interface LedgerRecord {
  id: string;
  call_id: string;
  hold_id: string;
  operation: string;
  amount_cents: number;
  outcome: string;
  payment_intent_id: string | null;
}

export interface PlatformRecords {
  /** The database's clock when the snapshot was taken: what the grace counts from, as the rows' own times come from it. */
  readAt: Date;
  calls: CallRecord[];
  accounts: AccountRecord[];
  holds: HoldRecord[];
  ledger: LedgerRecord[];
}

/**
 * The calls created at or after `since` (every call without it) and those named in `alsoCallIds`
 * (the calls of the PaymentIntents Stripe listed, which may have begun before `since`), with their
 * billing accounts, holds and ledger, read in one read-only snapshot.
 */
export async function readPlatformRecords(databaseUrl: string, since: Date | undefined, alsoCallIds: string[]): Promise<PlatformRecords> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'money-audit' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const scope = await client.query<{ id: string }>(
      `SELECT id FROM ${TABLES.calls} WHERE $1::timestamptz IS NULL OR created_at >= $1
       UNION SELECT call_id FROM ${TABLES.callAccounts} WHERE $1::timestamptz IS NULL OR created_at >= $1
       UNION SELECT unnest($2::text[])`,
      [since ?? null, alsoCallIds],
    );
    const ids = scope.rows.map((row) => row.id);
    const rows = async <T extends object>(sql: string) => (await client.query<T>(sql, [ids])).rows;
    const [{ now }] = (await client.query<{ now: Date }>('SELECT now()')).rows;
    const records: PlatformRecords = {
      readAt: now,
      calls: await rows<CallRecord>(`SELECT id, status, ended_at, total_charged_cents FROM ${TABLES.calls} WHERE id = ANY($1::bpchar[])`),
      accounts: await rows<AccountRecord>(`SELECT call_id, status, created_at, settled_at FROM ${TABLES.callAccounts} WHERE call_id = ANY($1::bpchar[])`),
      holds: await rows<HoldRecord>(
        `SELECT id, call_id, window_number, amount_cents, status, payment_intent_id, captured_cents, updated_at FROM ${TABLES.holds} WHERE call_id = ANY($1::bpchar[])`,
      ),
      ledger: await rows<LedgerRecord>(
        `SELECT id, call_id, hold_id, operation, amount_cents, outcome, payment_intent_id FROM ${TABLES.ledger} WHERE call_id = ANY($1::bpchar[]) ORDER BY created_at, id`,
      ),
    };
    await client.query('COMMIT');
    return records;
  } finally {
    await client.end();
  }
}

/** The PaymentIntents our records name: on a hold, or in a ledger entry (a stray one billing cancelled, a declined try). */
export function recordedIntentIds(records: Pick<PlatformRecords, 'holds' | 'ledger'>): Set<string> {
  return new Set([...records.holds, ...records.ledger].map((record) => record.payment_intent_id).filter((id): id is string => id !== null));
}
