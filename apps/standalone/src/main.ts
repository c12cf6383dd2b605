import { Logger } from '@nestjs/common';
import { AppConfig, InProcessBroker, runApp } from '@vidivo/platform';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import { readOrCreateJwtKeys } from './local-secrets';
import { standaloneApp } from './standalone.app';

/**
 * The laptop mode: one process, an in-process transport instead of NATS, and whatever the
 * environment does not provide made locally under DATA_DIR (Postgres, signing keys).
 */
async function prepare(config: AppConfig) {
  const logger = new Logger('standalone');
  const dataDir = resolve(config.env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const keys = config.env.JWT_PRIVATE_KEY && config.env.JWT_PUBLIC_KEY ? null : readOrCreateJwtKeys(dataDir);
  if (keys) logger.log(`using the signing keys kept in ${dataDir}/secrets`);

  let databaseUrl = config.env.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres(dataDir, config.env.EMBEDDED_POSTGRES_PORT);
    databaseUrl = postgres.url;
    process.once('exit', () => void postgres.stop());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void postgres.stop());
  }

  return {
    config: config.with({
      DATABASE_URL: databaseUrl,
      ...(keys ? { JWT_PRIVATE_KEY: keys.privateKey, JWT_PUBLIC_KEY: keys.publicKey } : {}),
    }),
    transport: { kind: 'in-process', broker: new InProcessBroker() } as const,
  };
}

void runApp(standaloneApp, prepare);
