import { billingApp } from '@vidivo/app-billing';
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ErrorCode } from '@vidivo/contracts';
import { AppError, POOL_SIZE, dataSourceToken } from '@vidivo/platform';
import { ComposedPlatform, registerAccount, startComposedPlatform } from '@vidivo/testing';
import { DataSource, QueryRunner } from 'typeorm';

jest.setTimeout(60_000);

const ACQUIRE_TIMEOUT_MS = 400;

/** Every connection of billing's pool taken (each inside an open transaction), so nothing else of billing's can get one. */
async function takeEveryConnection(dataSource: DataSource): Promise<QueryRunner[]> {
  const runners = Array.from({ length: POOL_SIZE }, () => dataSource.createQueryRunner());
  for (const runner of runners) await runner.startTransaction();
  return runners;
}

describe('a pool with no free connection answers 503 after DATABASE_ACQUIRE_TIMEOUT_MS (decision 32)', () => {
  let platform: ComposedPlatform<StripeEmulator>;
  let billing: DataSource;
  let hostToken: string;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'pool_acquire_timeout',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      env: { DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS), CALL_NO_SHOW_SECONDS: '600', CALL_ABANDON_SECONDS: '0' },
    });
    billing = platform.app.app.get<DataSource>(dataSourceToken('billing'), { strict: false });
    hostToken = (await registerAccount(platform.api, 'host')).token;
  });

  afterAll(async () => {
    await platform?.close();
  });

  const createLink = async () =>
    (await platform.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: hostToken })).body as { short_code: string };
  const join = (shortCode: string) => platform.api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: 'Ada' });

  it('fails a query that waits longer than the acquire timeout with service_unavailable, then serves again', async () => {
    const runners = await takeEveryConnection(billing);
    try {
      const started = Date.now();
      const waited = await billing.query('SELECT 1').catch((error: unknown) => error);
      expect(waited).toBeInstanceOf(AppError);
      expect((waited as AppError).code).toBe(ErrorCode.ServiceUnavailable);
      expect(Date.now() - started).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 50);
      expect(Date.now() - started).toBeLessThan(ACQUIRE_TIMEOUT_MS + 2_000);
    } finally {
      for (const runner of runners) await runner.rollbackTransaction().then(() => runner.release());
    }
    expect(await billing.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('answers a join 503 with Retry-After, well before the bus would give up, while billing has no connection to give', async () => {
    const link = await createLink();
    const runners = await takeEveryConnection(billing);
    let refused: Awaited<ReturnType<typeof join>>;
    const started = Date.now();
    try {
      refused = await join(link.short_code);
    } finally {
      for (const runner of runners) await runner.rollbackTransaction().then(() => runner.release());
    }
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('service_unavailable');
    expect(refused.headers.get('retry-after')).toBe('2');
    // The bus waits 10 s for an answer; the pool's own timeout answers first.
    expect(Date.now() - started).toBeLessThan(8_000);

    const retried = await join(link.short_code);
    expect(retried.status).toBe(201);
  });
});
