import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '../config';
import { AppDefinition, AppRuntime, createApp } from './create-app';

/** Starts a process and reports where it listens; bad configuration ends it with the reason. */
export async function runApp(
  definition: AppDefinition,
  prepare: (config: AppConfig) => Promise<AppRuntime> = async (config) => ({ config, transport: { kind: 'nats' } }),
): Promise<INestApplication> {
  const logger = new Logger(definition.name);
  try {
    const runtime = await prepare(loadConfig());
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
