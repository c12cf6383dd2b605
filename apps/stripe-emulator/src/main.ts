import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@vidivo/platform';
import { resolve } from 'node:path';
import { StripeEmulator } from './stripe-emulator';
import { stripeEmulatorSettings } from './stripe-emulator.settings';

/** The emulator as its own process (cluster mode, end-to-end tests): STRIPE_EMULATOR_PORT on HOST, webhooks to STRIPE_EMULATOR_WEBHOOK_URL. */
async function main(): Promise<void> {
  const logger = new Logger('stripe-emulator');
  try {
    const config = loadConfig(process.env, [stripeEmulatorSettings]);
    const { STRIPE_EMULATOR_WEBHOOK_URL: webhookUrl, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_EMULATOR_PORT: port, DATA_DIR } = config.settingsOf(stripeEmulatorSettings);
    const webhook = webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : undefined;
    const dataDir = DATA_DIR === undefined ? undefined : resolve(DATA_DIR, 'stripe-emulator');
    const emulator = await StripeEmulator.start({ port, host: config.host, webhook, dataDir });
    logger.log(`Stripe emulator listening on ${emulator.url} (use it as STRIPE_API_BASE)${webhook ? `, sending webhooks to ${webhook.url}` : ''}`);
    logger.log(
      dataDir === undefined
        ? 'keeping its Stripe objects in memory (set DATA_DIR to keep them across restarts)'
        : `keeping its Stripe objects in ${dataDir}: ${emulator.restoredEntries} loaded, ${emulator.redeliveredEvents} unacknowledged event(s) sent again`,
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.log(`${signal} received, closing`);
        void emulator.close();
      });
    }
  } catch (error) {
    const expected = error instanceof ConfigError || (error as NodeJS.ErrnoException).code !== undefined; // bad config, port taken
    logger.error(expected ? (error as Error).message : (error as Error).stack);
    process.exit(1);
  }
}

void main();
