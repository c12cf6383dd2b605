import { connectDatabase, eventually } from '@vidivo/testing';
// The operators' money audit (decision 33), run as they would run it against production.
import { auditMoney } from '@vidivo/money-audit';
import { TrafficTally } from './call-traffic';

const ENDED = ['completed', 'missed', 'failed'];
/**
 * Ended calls settle through an event and Stripe: this long at most, faults included. A first hold
 * whose outcome could not be recorded (Postgres went down) keeps its account leased for billing's
 * 120 s, and its settlement waits for that.
 */
const SETTLE_TIMEOUT_MS = 180_000;

export interface PlatformOutcome {
  /** Calls of the traffic's links that are not ended (should be none). */
  notEnded: { id: string; status: string }[];
  /** Ended calls whose billing account did not settle (should be none; a call that failed before its hold has no account). */
  notSettled: { call_id: string; status: string | null }[];
  /** Links whose use_count is not the number of claims they hold, or of their calls that hold one (a failed call gives its claim back). */
  miscounted: { id: string; use_count: number; calls: number; claims: number }[];
  callsChecked: number;
  /** Every call made on the traffic's links, with its status. */
  calls: { id: string; status: string }[];
  audit: Awaited<ReturnType<typeof auditMoney>>;
  /** Seconds from the end of the traffic until everything above held. */
  settledAfterSeconds: number;
}

/**
 * What each scenario requires once its traffic stopped: every call of its links ended (none stuck),
 * every ended call settled (its `calls.call.ended` event reached billing), every link's use_count
 * equal to its unreleased claims and to its calls that hold one, and the money audit without a discrepancy.
 * Reads the apps' tables directly, as an operator's checks would.
 */
export async function checkPlatform(databaseUrl: string, stripe: { secretKey: string; apiBase: string }, tally: TrafficTally, since: Date): Promise<PlatformOutcome> {
  const sql = await connectDatabase(databaseUrl);
  const started = Date.now();
  try {
    const read = async () => {
      const calls = await sql.query<{ id: string; status: string; account: string | null }>(
        `SELECT c.id, c.status, a.status AS account FROM calls.calls c LEFT JOIN billing.call_accounts a ON a.call_id = c.id WHERE c.link_id = ANY($1)`,
        [tally.links],
      );
      const links = await sql.query<{ id: string; use_count: number; calls: number; claims: number }>(
        `SELECT l.id, l.use_count,
                (SELECT count(*)::int FROM calls.calls c WHERE c.link_id = l.id
                   AND NOT EXISTS (SELECT 1 FROM links.link_claims k WHERE k.call_id = c.id AND k.released_at IS NOT NULL)) AS calls,
                (SELECT count(*)::int FROM links.link_claims k WHERE k.link_id = l.id AND k.released_at IS NULL) AS claims
           FROM links.call_links l WHERE l.id = ANY($1)`,
        [tally.links],
      );
      return {
        callsChecked: calls.rowCount ?? 0,
        calls: calls.rows.map(({ id, status }) => ({ id, status })),
        notEnded: calls.rows.filter((call) => !ENDED.includes(call.status)).map(({ id, status }) => ({ id, status })),
        notSettled: calls.rows
          .filter((call) => ENDED.includes(call.status) && call.account !== 'settled' && !(call.status === 'failed' && call.account === null))
          .map((call) => ({ call_id: call.id, status: call.account })),
        miscounted: links.rows.filter((link) => link.use_count !== link.calls || link.use_count !== link.claims),
      };
    };
    const outcome = await eventually(read, (now) => !now.notEnded.length && !now.notSettled.length && !now.miscounted.length, SETTLE_TIMEOUT_MS, 1_000);
    const settledAfterSeconds = (Date.now() - started) / 1000;
    const audit = await auditMoney({ databaseUrl, stripeSecretKey: stripe.secretKey, stripeApiBase: stripe.apiBase, since, settleGraceSeconds: 0 });
    return { ...outcome, audit, settledAfterSeconds };
  } finally {
    await sql.end();
  }
}
