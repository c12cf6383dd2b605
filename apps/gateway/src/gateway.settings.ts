import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** What only the gateway reads: the abuse limits of its public routes (decisions 22 and 35). */
export const gatewaySettings = defineSettings('gateway', {
  /** Requests per client address and minute on the routes that create accounts, sessions or calls; 0 turns it off (load tests). */
  RATE_LIMIT_PER_MINUTE: setting.withDefault(z.coerce.number().int().min(0), 60),
  /** Declined card payments an hour per client address, per guest and per link (or booking) before joins answer 429; 0 turns it off. */
  DECLINED_PAYMENTS_PER_HOUR: setting.withDefault(z.coerce.number().int().min(0), 5),
});

export type GatewaySettings = SettingsOf<typeof gatewaySettings>;
