import { DataSource } from 'typeorm';

/**
 * A data source that is never connected: what the repositories' fakes hand their parent class, and
 * where their transactions' managers come from. A fake that forgot a method fails on it, never reaches a database.
 */
export function detachedDataSource(): DataSource {
  return new DataSource({ type: 'postgres' });
}
