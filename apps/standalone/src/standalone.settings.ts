import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/**
 * What standalone reads to make locally what the environment leaves out: Postgres and secrets
 * under DATA_DIR, the bundled Stripe emulator. The secrets are the apps' own settings, read here
 * only to know whether they were given.
 */
export const standaloneSettings = defineSettings('standalone', {
  DATA_DIR: setting.withDefault(z.string(), './.data'),
  EMBEDDED_POSTGRES_PORT: setting.withDefault(setting.port(), 54329),
  STRIPE_EMULATOR_PORT: setting.withDefault(setting.port(), 12111),
  TURN_SECRET: setting.optional(z.string()),
  STRIPE_SECRET_KEY: setting.optional(z.string()),
  STRIPE_WEBHOOK_SECRET: setting.optional(z.string()),
});

export type StandaloneSettings = SettingsOf<typeof standaloneSettings>;
