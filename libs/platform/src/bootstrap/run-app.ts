import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '../config';
import { ShutdownState } from '../http/shutdown-state';
import { METRICS_PATH, MetricsServer, createNestLogger } from '../observability';
import { AppDefinition, AppRuntime, createApp } from './create-app';

/** `main.js --migrate-only`: the one-shot migration step of a deployment (docker/, k8s/). */
const MIGRATE_ONLY_FLAG = '--migrate-only';

/** Starts a process and reports where it listens; bad configuration ends it with the reason. */
export async function runApp(
  definition: AppDefinition,
  prepare: (config: AppConfig) => Promise<AppRuntime> = (config) => Promise.resolve({ config, transport: { kind: 'nats' } }),
): Promise<INestApplication> {
  const logger = new Logger(definition.name);
  try {
    const config = loadConfig(process.env, definition.settings);
    // What is logged before the app exists (standalone's embedded Postgres, say) is JSON too.
    Logger.overrideLogger(createNestLogger({ app: definition.name, level: config.logLevel }));
    const runtime = await prepare(config);
    if (process.argv.includes(MIGRATE_ONLY_FLAG)) return await migrateAndExit(definition, runtime, logger);
    const app = await createApp(definition, runtime);
    await app.listen(runtime.config.port, runtime.config.host);
    logger.log(`${definition.name} listening on http://localhost:${runtime.config.port}`);
    await serveMetrics(app, runtime.config, logger);
    closeOnSignals(app, runtime, logger);
    return app;
  } catch (error) {
    logger.error(startFailure(error));
    process.exit(1);
  }
}

/**
 * /metrics on METRICS_PORT (decision 36). A port it was told to use must be free; the default one
 * taken (a second process on the machine) only costs this process its /metrics, with a warning.
 */
async function serveMetrics(app: INestApplication, config: AppConfig, logger: Logger): Promise<void> {
  const { port, given } = config.metricsPort;
  try {
    await app.get(MetricsServer).listen(port, config.host);
    logger.log(`metrics on http://localhost:${port}${METRICS_PATH}`);
  } catch (error) {
    if (given || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    logger.warn(`port ${port} is taken: ${METRICS_PATH} is not served (set METRICS_PORT to a free port)`);
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

/**
 * SIGTERM/SIGINT: readiness turns 503 and HTTP stops keeping connections alive, then the app closes
 * (requests and event handlers in flight finish, WebSockets are told to reconnect elsewhere,
 * connections, timers and relays stop), then what the composition owns. All of it within
 * SHUTDOWN_TIMEOUT_SECONDS: past that, or on a second signal, the process exits with 1 at once,
 * saying what it was still waiting for.
 */
function closeOnSignals(app: INestApplication, runtime: AppRuntime, logger: Logger): void {
  const state = app.get(ShutdownState);
  const timeoutSeconds = runtime.config.shutdownTimeoutSeconds;
  let step: string | undefined;
  const waitingFor = () => {
    const requests = state.requestsInFlight;
    return requests.length ? `${step}; HTTP requests in flight: ${requests.join(', ')}` : step;
  };
  const shutdown = async (signal: NodeJS.Signals) => {
    if (step !== undefined) {
      logger.error(`${signal} again while shutting down (${waitingFor()}): exiting now`);
      process.exit(1);
    }
    step = 'stopping intake';
    logger.log(`${signal}: shutting down (at most ${timeoutSeconds} s)`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutSeconds} s (SHUTDOWN_TIMEOUT_SECONDS), still ${waitingFor()}: exiting`);
      process.exit(1);
    }, timeoutSeconds * 1000);
    try {
      state.begin();
      step = 'closing the app (in-flight requests and event handlers, connections, shutdown hooks)';
      await app.close();
      if (runtime.afterClose) {
        step = 'stopping what the composition started (embedded Postgres)';
        await runtime.afterClose();
      }
      logger.log('shut down cleanly');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed while ${step}: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (received) => void shutdown(received));
}

/** What a failed start logs: a configuration error's sentence, another error's stack, or whatever was thrown. */
export function startFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return `start-up failed: ${String(error)}`;
}
