import pg from 'pg';
import { defineCounter } from '../observability/metrics.registry';

/**
 * Statements sent to Postgres by the pools of our DataSources (built by dataSourceOptions), by the
 * app's schema: one per `query` on one of their connections, whatever sent it — TypeORM's
 * repositories and `query()`, its START TRANSACTION / COMMIT / ROLLBACK, migrations, the outbox
 * relay's claims and deletes, the periodic sweepers. A plain statement is one round trip, so the
 * counter is the round trips the process made (a statement that fails is counted too).
 * Not counted: opening a connection (start-up and authentication are not queries), and clients
 * built outside our pools, such as the outbox relay's LISTEN connection, which sends one LISTEN at
 * start and from then on only receives notifications.
 */
export const dbQueries = defineCounter<'schema'>({
  name: 'db_queries_total',
  help: 'Statements sent to Postgres by the pools of this process, by schema (one round trip each)',
  labelNames: ['schema'],
});

const countingClients = new Map<string, typeof pg.Client>();

/**
 * pg's Client, counting every query it sends in {@link dbQueries} under `schema`. Given to pg-pool
 * as its `Client` option, so every connection of the pool counts, whoever holds it.
 */
export function queryCountingClient(schema: string): typeof pg.Client {
  let client = countingClients.get(schema);
  if (!client) {
    const queries = dbQueries.labels({ schema });
    client = class QueryCountingClient extends pg.Client {
      // pg's many overloads of query() all go through here; the arguments are passed on untouched.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      override query(...args: unknown[]): any {
        queries.inc();
        return (super.query as (...passed: unknown[]) => unknown)(...args);
      }
    };
    countingClients.set(schema, client);
  }
  return client;
}
