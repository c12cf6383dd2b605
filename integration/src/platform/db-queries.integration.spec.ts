import { ErrorCode } from '@vidivo/contracts';
import { AppError, dataSourceOptions, dbQueries, metricsRegistry } from '@vidivo/platform';
import { TestDatabase, createTestDatabase } from '@vidivo/testing';
import { DataSource } from 'typeorm';

/** The counter's value for one schema, as /metrics would show it. */
async function counted(schema: string): Promise<number> {
  const { values } = await dbQueries.get();
  return values.find((value) => value.labels.schema === schema)?.value ?? 0;
}

const probe = (schema: string) => ({ schema, entities: [], migrations: [] });

describe('db_queries_total: statements sent by our pools, counted (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let other: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('db_queries');
    dataSource = await new DataSource(dataSourceOptions(probe('dbq_probe'), database.url, 2_000)).initialize();
    other = await new DataSource(dataSourceOptions(probe('dbq_other'), database.url, 2_000)).initialize();
    await dataSource.query('CREATE TABLE dbq_rows (id int PRIMARY KEY)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await other?.destroy();
    await database?.drop();
  });

  it('moves by exactly one per statement sent through a DataSource, under its own schema only', async () => {
    const [before, otherBefore] = [await counted('dbq_probe'), await counted('dbq_other')];
    for (let i = 0; i < 7; i++) await dataSource.query('SELECT $1::int AS n', [i]);
    expect(await counted('dbq_probe')).toBe(before + 7);
    expect(await counted('dbq_other')).toBe(otherBefore);
  });

  it('counts a transaction as its statements plus START TRANSACTION and COMMIT', async () => {
    const before = await counted('dbq_probe');
    await dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO dbq_rows (id) VALUES (1), (2)');
      await manager.query('SELECT count(*) FROM dbq_rows');
    });
    expect(await counted('dbq_probe')).toBe(before + 4);
  });

  it('counts queries made through a query runner and statements that fail', async () => {
    const before = await counted('dbq_probe');
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query('SELECT 1');
      await expect(runner.query('INSERT INTO dbq_rows (id) VALUES (1)')).rejects.toThrow(/duplicate key/);
    } finally {
      await runner.release();
    }
    expect(await counted('dbq_probe')).toBe(before + 2);
  });

  it('counts statements sent at once on separate connections of the pool', async () => {
    const before = await counted('dbq_probe');
    await Promise.all(Array.from({ length: 12 }, () => dataSource.query('SELECT pg_sleep(0.01)')));
    expect(await counted('dbq_probe')).toBe(before + 12);
  });

  it('is served in Prometheus text by schema', async () => {
    await other.query('SELECT 1');
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/^# TYPE db_queries_total counter$/m);
    expect(text).toMatch(new RegExp(`^db_queries_total\\{schema="dbq_other"\\} ${await counted('dbq_other')}$`, 'm'));
  });

  it('keeps the pool answering a 503 when no connection comes free in time, and does not count what was never sent', async () => {
    const options = dataSourceOptions(probe('dbq_tiny'), database.url, 200);
    const tiny = await new DataSource({ ...options, extra: { ...options.extra, max: 1 } }).initialize();
    try {
      const before = await counted('dbq_tiny');
      const holding = tiny.query('SELECT pg_sleep(1)');
      const refused = await tiny.query('SELECT 1').catch((error: unknown) => error);
      await holding;
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe(ErrorCode.ServiceUnavailable);
      expect(await counted('dbq_tiny')).toBe(before + 1);
    } finally {
      await tiny.destroy();
    }
  });
});
