import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** What only billing reads: Stripe, and how early a call's next hold is placed. */
export const billingSettings = defineSettings('billing', {
  /** Standalone and cluster point billing at the bundled emulator when unset. */
  STRIPE_SECRET_KEY: setting.required(z.string().startsWith('sk_', 'must start with sk_')),
  STRIPE_API_BASE: setting.optional(setting.url(['http:', 'https:'])),
  STRIPE_WEBHOOK_SECRET: setting.optional(z.string().startsWith('whsec_', 'must start with whsec_')),
  STRIPE_TIMEOUT_MS: setting.withDefault(setting.positiveInt(), 20_000),
  HOLD_TOPUP_LEAD_SECONDS: setting.withDefault(setting.positiveInt(), 60),
});

export type BillingSettings = SettingsOf<typeof billingSettings>;
