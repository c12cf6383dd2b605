import { Logger } from '@nestjs/common';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { AppConfig, InProcessBroker, readOrCreateJwtKeys, readOrCreateSecret, runApp } from '@vidivo/platform';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import { standaloneApp } from './standalone.app';
import { standaloneSettings } from './standalone.settings';

/**
 * The laptop mode: one process, an in-process transport instead of NATS, and whatever the
 * environment does not provide made locally: Postgres and secrets under DATA_DIR, and the
 * bundled Stripe emulator when there is no STRIPE_SECRET_KEY.
 */
async function prepare(config: AppConfig) {
  const logger = new Logger('standalone');
  const local = config.settingsOf(standaloneSettings);
  const dataDir = resolve(local.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const keys = config.givenJwtKeys ? null : readOrCreateJwtKeys(dataDir);
  if (keys) logger.log(`using the signing keys kept in ${dataDir}/secrets`);

  let databaseUrl = config.givenDatabaseUrl;
  let afterClose: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres(dataDir, local.EMBEDDED_POSTGRES_PORT);
    databaseUrl = postgres.url;
    afterClose = () => postgres.stop();
  }

  const turnSecret = local.TURN_SECRET ?? readOrCreateSecret(dataDir, 'turn-secret', () => randomBytes(32).toString('base64url'));

  let stripe = {};
  if (!local.STRIPE_SECRET_KEY) {
    // The emulator's webhooks come to this process's own endpoint, signed with a secret of its own (decision 26).
    const webhookSecret = local.STRIPE_WEBHOOK_SECRET ?? readOrCreateSecret(dataDir, 'stripe-webhook-secret', () => `whsec_${randomBytes(24).toString('base64url')}`);
    const webhook = { url: `http://127.0.0.1:${config.port}/v1/webhooks/stripe`, secret: webhookSecret };
    // Kept beside the embedded Postgres, so the two agree after a restart (npm run audit:money); with a given DATABASE_URL, in memory.
    const emulator = await StripeEmulator.start({ port: local.STRIPE_EMULATOR_PORT, webhook, dataDir: config.givenDatabaseUrl ? undefined : dataDir });
    logger.log(`STRIPE_SECRET_KEY is not set: payments go to the bundled Stripe emulator at ${emulator.url}, its webhooks to ${webhook.url}`);
    stripe = { STRIPE_SECRET_KEY: 'sk_test_vidivo_emulator', STRIPE_API_BASE: emulator.url, STRIPE_WEBHOOK_SECRET: webhookSecret };
  }

  return {
    config: config.with({
      DATABASE_URL: databaseUrl,
      TURN_SECRET: turnSecret,
      // Signaling is served on this process's own port.
      SIGNALING_PUBLIC_URL: config.givenSignalingUrl ?? `ws://localhost:${config.port}/signal/ws`,
      ...stripe,
      ...(keys ? { JWT_PRIVATE_KEY: keys.privateKey, JWT_PUBLIC_KEY: keys.publicKey } : {}),
    }),
    transport: { kind: 'in-process', broker: new InProcessBroker() } as const,
    afterClose,
  };
}

// Standalone's own settings are checked with the apps' before anything starts.
void runApp({ ...standaloneApp, settings: [...(standaloneApp.settings ?? []), standaloneSettings] }, prepare);
