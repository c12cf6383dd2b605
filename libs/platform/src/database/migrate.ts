import { DataSource } from 'typeorm';

/**
 * Creates the schema and runs pending migrations while holding a Postgres advisory lock, so
 * replicas starting together migrate once, one after another.
 */
export async function migrateUnderLock(dataSource: DataSource, schema: string): Promise<DataSource> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`vidivo:migrations:${schema}`]);
    await lockRunner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockRunner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`vidivo:migrations:${schema}`]).catch(() => undefined);
    await lockRunner.release();
  }
  return dataSource;
}

/** Postgres' code for a unique_violation, to map a lost race to a conflict. */
export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === UNIQUE_VIOLATION && (constraint === undefined || driverError.constraint === constraint);
}
