import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '../config';
import { createNestLogger } from '../observability';
import { AppDefinition, AppRuntime, createApp } from './create-app';

/** `main.js --migrate-only`: the one-shot migration step of a deployment (docker/, k8s/). */
const MIGRATE_ONLY_FLAG = '--migrate-only';

/** Starts a process and reports where it listens; bad configuration ends it with the reason. */
export async function runApp(
  definition: AppDefinition,
  prepare: (config: AppConfig) => Promise<AppRuntime> = async (config) => ({ config, transport: { kind: 'nats' } }),
): Promise<INestApplication> {
  const logger = new Logger(definition.name);
  try {
    const config = loadConfig();
    // What is logged before the app exists (standalone's embedded Postgres, say) is JSON too.
    Logger.overrideLogger(createNestLogger({ app: definition.name, level: config.env.LOG_LEVEL }));
    const runtime = await prepare(config);
    if (process.argv.includes(MIGRATE_ONLY_FLAG)) return await migrateAndExit(definition, runtime, logger);
    const app = await createApp(definition, runtime);
    await app.listen(runtime.config.port, runtime.config.env.HOST);
    logger.log(`${definition.name} listening on http://localhost:${runtime.config.port}`);
    closeOnSignals(app, runtime, logger);
    return app;
  } catch (error) {
    logger.error(error instanceof ConfigError ? error.message : (error as Error).stack);
    process.exit(1);
  }
}

/**
 * Creating the app opens its database connections, and opening one migrates its schema under the
 * advisory lock; nothing else starts (no HTTP listener, no message server, no bootstrap hooks).
 */
async function migrateAndExit(definition: AppDefinition, runtime: AppRuntime, logger: Logger): Promise<never> {
  const app = await createApp({ ...definition, answersMessages: false }, runtime);
  await app.close();
  await runtime.afterClose?.();
  logger.log(`${definition.name}: schemas up to date (${definition.databases.join(', ') || 'none'})`);
  process.exit(0);
}

/** SIGTERM/SIGINT: the app's shutdown hooks run (connections, timers, relays), then what the composition owns. */
function closeOnSignals(app: INestApplication, runtime: AppRuntime, logger: Logger): void {
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.log(`${signal}: shutting down`);
    try {
      await app.close();
      await runtime.afterClose?.();
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (received) => void shutdown(received));
}
