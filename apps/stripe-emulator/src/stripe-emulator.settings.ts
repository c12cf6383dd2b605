import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/**
 * The emulator as its own process: its port, where its webhooks go, signed with which secret (both
 * or neither), and DATA_DIR, under which it keeps its Stripe objects across restarts
 * (DATA_DIR/stripe-emulator; in memory when unset).
 */
export const stripeEmulatorSettings = defineSettings(
  'stripe-emulator',
  {
    STRIPE_EMULATOR_PORT: setting.withDefault(setting.port(), 12111),
    STRIPE_EMULATOR_WEBHOOK_URL: setting.optional(setting.url(['http:', 'https:'])),
    STRIPE_WEBHOOK_SECRET: setting.optional(z.string().startsWith('whsec_', 'must start with whsec_')),
    DATA_DIR: setting.optional(z.string().min(1)),
  },
  ({ STRIPE_EMULATOR_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET }) =>
    (STRIPE_EMULATOR_WEBHOOK_URL === undefined) !== (STRIPE_WEBHOOK_SECRET === undefined)
      ? 'STRIPE_EMULATOR_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET must be set together'
      : undefined,
);

export type StripeEmulatorSettings = SettingsOf<typeof stripeEmulatorSettings>;
