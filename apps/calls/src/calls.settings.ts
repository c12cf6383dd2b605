import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** What only calls reads: TURN, and when a call ends by itself. */
export const callsSettings = defineSettings('calls', {
  /** Signs the TURN credentials; standalone and cluster make one when unset. */
  TURN_SECRET: setting.required(z.string().min(16, 'must be at least 16 characters')),
  TURN_URLS: setting.withDefault(z.string(), 'turn:localhost:3478'),
  CALL_NO_SHOW_SECONDS: setting.withDefault(setting.positiveInt(), 300),
  CALL_MAX_MINUTES: setting.withDefault(setting.positiveInt().max(7 * 24 * 60), 240),
  CALL_ABANDON_SECONDS: setting.withDefault(z.coerce.number().int().min(0), 90),
  /** A link use claimed for a call that was not recorded within this long (the join crashed) is given back (decision 32). */
  CALL_LINK_CLAIM_GRACE_SECONDS: setting.withDefault(setting.positiveInt(), 60),
});

export type CallsSettings = SettingsOf<typeof callsSettings>;

/** TURN_URLS, comma separated. */
export const turnUrlsOf = (settings: CallsSettings): string[] =>
  settings.TURN_URLS.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
