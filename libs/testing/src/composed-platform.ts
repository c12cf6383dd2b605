import { AppDefinition, AppRuntime, MessageBus, composeApps } from '@vidivo/platform';
import { Client } from 'pg';
import { HttpClient } from './http-client';
import { InProcessApp, startInProcessApp } from './in-process-app';
import { newWebhookSecret, webhookUrl } from './stripe-webhooks';
import { TestDatabase, connectDatabase, createTestDatabase } from './test-database';

/** What the platform needs of a Stripe emulator the spec starts (the bundled one): its URL and where to send webhooks. */
export interface EmulatorProcess {
  readonly url: string;
  setWebhook(endpoint: { url: string; secret: string }): void;
  close(): Promise<void>;
}

export interface ComposedPlatformOptions<E extends EmulatorProcess | undefined> {
  /** Names the test database and the composed app. */
  name: string;
  apps: AppDefinition[];
  /** Starts the Stripe emulator billing talks to, wired to the gateway's webhook endpoint. */
  emulator?: () => Promise<E>;
  /** Settings beyond the test defaults (these win). */
  env?: Record<string, string>;
  /** Where the apps' log lines go (a destination the spec reads), passed to `startInProcessApp`. */
  runtime?: Pick<AppRuntime, 'logDestination'>;
}

/** Apps composed in the test process as standalone composes them, on their own database, with a client and SQL beside them. */
export interface ComposedPlatform<E extends EmulatorProcess | undefined> {
  database: TestDatabase;
  emulator: E;
  app: InProcessApp;
  baseUrl: string;
  bus: MessageBus;
  api: HttpClient;
  /** A connection to the platform's database, for looking at or adjusting rows. */
  sql: Client;
  /** Billing's STRIPE_WEBHOOK_SECRET, with which the emulator signs its webhooks. */
  webhookSecret: string;
  /**
   * Another instance of the same apps on the same database and settings, `env` changed (a second
   * replica, or the apps started again with other settings); `close()` stops it too, if the test
   * has not. A start that fails (a configuration error, say) rejects as `startInProcessApp` does.
   */
  startAnother(env?: Record<string, string>): Promise<InProcessApp>;
  close(): Promise<void>;
}

/**
 * The composed platform of an integration spec: a fresh database, the Stripe emulator (when the
 * apps take payments) with its webhooks signed for the gateway, the apps in process, an HTTP
 * client and a SQL connection. `close()` stops what started, also after a failed start.
 */
export async function startComposedPlatform<E extends EmulatorProcess | undefined = undefined>(options: ComposedPlatformOptions<E>): Promise<ComposedPlatform<E>> {
  const stops: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const database = await createTestDatabase(options.name);
    stops.push(() => database.drop());
    const emulator = (await options.emulator?.()) as E;
    if (emulator) stops.push(() => emulator.close());
    const webhookSecret = newWebhookSecret();
    const stripe: Record<string, string> = emulator ? { STRIPE_SECRET_KEY: `sk_test_${options.name}`, STRIPE_API_BASE: emulator.url, STRIPE_WEBHOOK_SECRET: webhookSecret } : {};
    const definition = composeApps(`${options.name}-test`, options.apps);
    const env = { DATABASE_URL: database.url, ...stripe, ...options.env };
    const app = await startInProcessApp(definition, env, options.runtime);
    stops.push(() => app.close());
    emulator?.setWebhook({ url: webhookUrl(app.baseUrl), secret: webhookSecret });
    const sql = await connectDatabase(database.url);
    stops.push(() => sql.end());
    const startAnother = async (changes: Record<string, string> = {}) => {
      const another = await startInProcessApp(definition, { ...env, ...changes }, options.runtime);
      let closed: Promise<void> | undefined;
      const closeOnce = () => (closed ??= another.close());
      stops.push(closeOnce);
      return { ...another, close: closeOnce };
    };
    return { database, emulator, app, baseUrl: app.baseUrl, bus: app.bus, api: new HttpClient(app.baseUrl), sql, webhookSecret, startAnother, close };
  } catch (error) {
    await close();
    throw error;
  }
}
