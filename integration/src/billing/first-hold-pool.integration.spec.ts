import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { dataSourceToken } from '@vidivo/platform';
import { ComposedPlatform, eventually, registerAccount, startComposedPlatform } from '@vidivo/testing';
import { DataSource } from 'typeorm';

jest.setTimeout(120_000);

const JOINS = 50;
const STALL_MS = 2_000;
/** Longer than any join may take here: a join still unanswered by then hangs. */
const HANG_MS = 30_000;
const SCHEMAS = ['gateway', 'identity', 'links', 'calls', 'billing'];

interface Answer {
  status: number;
  code?: string;
  ms: number;
}

/** What pg's pool says of itself (TypeORM's Postgres driver keeps it as `master`). */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Fifty guests join at once while Stripe takes seconds over every PaymentIntent (decision 32): no
 * transaction waits on Stripe, so billing's ten connections are never all held across a request,
 * every join is answered, and nothing is left waiting for a connection afterwards.
 */
describe('first holds under a slow Stripe do not exhaust the pools (real Postgres, Stripe emulator stalling)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let hostToken: string;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'first_hold_pool',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        CALL_NO_SHOW_SECONDS: '600',
        CALL_ABANDON_SECONDS: '0',
        // This test is about pools: fifty attempts from one address are not card testing here.
        DECLINED_PAYMENTS_PER_HOUR: '0',
      },
    });
    hostToken = (await registerAccount(platform.api, 'host')).token;
  });

  afterAll(async () => {
    await platform?.close();
  });

  const pools = (): Record<string, PoolCounts> =>
    Object.fromEntries(
      SCHEMAS.map((schema) => {
        const { driver } = platform.app.app.get<DataSource>(dataSourceToken(schema), { strict: false });
        const { totalCount, idleCount, waitingCount } = (driver as unknown as { master: PoolCounts }).master;
        return [schema, { totalCount, idleCount, waitingCount }];
      }),
    );
  /** Our apps' connections that sit inside a transaction with nothing running. */
  const idleInTransaction = async (): Promise<Array<{ application_name: string; query: string }>> =>
    (
      await platform.sql.query(
        `SELECT application_name, query FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'vidivo-%' AND state LIKE 'idle in transaction%'`,
      )
    ).rows;

  const joinAnswer = async (shortCode: string, guest: number, started: number): Promise<Answer> => {
    const answered = platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: `Guest ${guest}` });
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`join ${guest} unanswered after ${HANG_MS} ms`)), HANG_MS).unref());
    const response = await Promise.race([answered, hung]);
    return { status: response.status, code: response.body?.error?.code, ms: Date.now() - started };
  };

  it(`answers ${JOINS} simultaneous first holds, each PaymentIntent stalled ${STALL_MS} ms, and leaves no connection waiting`, async () => {
    const link = (await platform.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: hostToken })).body as {
      id: string;
      short_code: string;
    };
    platform.emulator.injectFault({ method: 'POST', path: '/v1/payment_intents', kind: 'stall', stallMs: STALL_MS, times: Infinity });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: JOINS }, (_, guest) => joinAnswer(link.short_code, guest, started)));
    platform.emulator.clearFaults();

    const slowest = Math.max(...answers.map((answer) => answer.ms));
    console.info(`${JOINS} first holds, PaymentIntents stalled ${STALL_MS} ms: ${JSON.stringify(countBy(answers))}, slowest answer ${slowest} ms`);
    // A join is answered: created, a clean refusal or a retryable 503, never a 500 and never a hang.
    expect(answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    expect(answers.every((answer) => answer.status === 201 || (answer.status >= 400 && answer.status < 500) || answer.status === 503)).toBe(true);
    // The pools are ten connections each, the joins fifty: all went through, none waited on a connection held across Stripe.
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(JOINS);

    expect(await eventually(idleInTransaction, (rows) => rows.length === 0)).toEqual([]);
    for (const [schema, counts] of Object.entries(pools())) expect({ schema, waiting: counts.waitingCount }).toEqual({ schema, waiting: 0 });

    // The holds match the joins: one authorized first hold per call, one PaymentIntent in requires_capture each, and one use of the link.
    const { rows: calls } = await platform.sql.query(`SELECT id FROM calls.calls WHERE link_id = $1 AND status = 'waiting'`, [link.id]);
    expect(calls).toHaveLength(JOINS);
    const { rows: holds } = await platform.sql.query(`SELECT call_id, window_number, status FROM billing.holds WHERE call_id = ANY($1)`, [calls.map((call) => call.id)]);
    expect(holds).toHaveLength(JOINS);
    expect(holds.every((hold) => hold.window_number === 1 && hold.status === 'authorized')).toBe(true);
    const intents = platform.emulator.paymentIntents().filter((intent) => calls.some((call) => call.id === intent.metadata.call_id));
    expect(intents.map((intent) => intent.status)).toEqual(Array.from({ length: JOINS }, () => 'requires_capture'));
    const { rows: uses } = await platform.sql.query(`SELECT use_count FROM links.call_links WHERE id = $1`, [link.id]);
    expect(uses).toEqual([{ use_count: JOINS }]);
  });
});

function countBy(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, code } of answers) {
    const key = code ? `${status} ${code}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
