import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/**
 * What the launcher reads to make locally what the environment leaves out, as standalone does:
 * secrets under DATA_DIR and the Stripe emulator. The secrets and Stripe's variables are the apps'
 * own settings (each app checks them at its start), read here only to know whether they were given.
 */
export const clusterSettings = defineSettings('cluster', {
  DATA_DIR: setting.withDefault(z.string(), './.data'),
  STRIPE_EMULATOR_PORT: setting.withDefault(setting.port(), 12111),
  TURN_SECRET: setting.optional(z.string()),
  STRIPE_SECRET_KEY: setting.optional(z.string()),
  STRIPE_API_BASE: setting.optional(z.string()),
  STRIPE_WEBHOOK_SECRET: setting.optional(z.string()),
});

export type ClusterEnvironment = SettingsOf<typeof clusterSettings>;
