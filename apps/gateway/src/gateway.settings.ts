import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** What only the gateway reads: the rate limit of its public routes. */
export const gatewaySettings = defineSettings('gateway', {
  /** 0 turns it off (load tests). */
  RATE_LIMIT_PER_MINUTE: setting.withDefault(z.coerce.number().int().min(0), 60),
});

export type GatewaySettings = SettingsOf<typeof gatewaySettings>;
