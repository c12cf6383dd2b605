import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** The emulator as its own process: its port, and where its webhooks go, signed with which secret (both or neither). */
export const stripeEmulatorSettings = defineSettings(
  'stripe-emulator',
  {
    STRIPE_EMULATOR_PORT: setting.withDefault(setting.port(), 12111),
    STRIPE_EMULATOR_WEBHOOK_URL: setting.optional(setting.url(['http:', 'https:'])),
    STRIPE_WEBHOOK_SECRET: setting.optional(z.string().startsWith('whsec_', 'must start with whsec_')),
  },
  ({ STRIPE_EMULATOR_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET }) =>
    (STRIPE_EMULATOR_WEBHOOK_URL === undefined) !== (STRIPE_WEBHOOK_SECRET === undefined)
      ? 'STRIPE_EMULATOR_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET must be set together'
      : undefined,
);

export type StripeEmulatorSettings = SettingsOf<typeof stripeEmulatorSettings>;
