import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';
import { AppConfig } from '../config';
import { appPostgresDriver } from './app-pool';
import { migrateUnderLock } from './migrate';
import { queryCountingClient } from './query-counter';

/** A domain app's own corner of Postgres: one schema, its entities and its migrations. */
export interface DomainDatabase {
  /** The schema name, which is also the name of the TypeORM connection. */
  schema: string;
  entities: Type[];
  migrations: Type<MigrationInterface>[];
}

/** Connections of one app's pool (per process). */
export const POOL_SIZE = 10;

/**
 * `acquireTimeoutMs`: how long a query waits for a free connection (or a new one to open) before
 * it fails, answered as a 503 (decision 32) instead of waiting for ever behind a stuck pool.
 */
export function dataSourceOptions(database: DomainDatabase, url: string, acquireTimeoutMs: number): DataSourceOptions {
  return {
    type: 'postgres',
    driver: appPostgresDriver,
    name: database.schema,
    url,
    schema: database.schema,
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Client: every statement the pool's connections send is counted in db_queries_total (query-counter).
    extra: { max: POOL_SIZE, connectionTimeoutMillis: acquireTimeoutMs, application_name: `vidivo-${database.schema}`, Client: queryCountingClient(database.schema) },
  };
}

export function dataSourceToken(schema: string) {
  return getDataSourceToken(schema);
}

/**
 * Opens the app's connection, brings its schema up to date before anything else runs, and
 * provides the repositories of its entities. Migrations only: `synchronize` is never on.
 */
@Module({})
export class DatabaseModule {
  static forDomain(database: DomainDatabase): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          name: database.schema,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => dataSourceOptions(database, config.databaseUrl, config.databaseAcquireTimeoutMs),
          dataSourceFactory: async (options) => migrateUnderLock(await new DataSource(options!).initialize(), database.schema),
        }),
        TypeOrmModule.forFeature(database.entities, database.schema),
      ],
      exports: [TypeOrmModule],
    };
  }
}
