import { SettingsOf, defineSettings, setting } from '@vidivo/platform';
import { z } from 'zod';

/** What only identity reads: token lifetimes and the admin account (the signing key is the platform's). */
export const identitySettings = defineSettings(
  'identity',
  {
    ACCESS_TOKEN_TTL_SECONDS: setting.withDefault(setting.positiveInt(), 900),
    REFRESH_TOKEN_TTL_DAYS: setting.withDefault(setting.positiveInt(), 30),
    ADMIN_EMAIL: setting.optional(z.string().email()),
    ADMIN_PASSWORD: setting.optional(z.string().min(8, 'must be at least 8 characters')),
  },
  ({ ADMIN_EMAIL, ADMIN_PASSWORD }) => ((ADMIN_EMAIL === undefined) !== (ADMIN_PASSWORD === undefined) ? 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together' : undefined),
);

export type IdentitySettings = SettingsOf<typeof identitySettings>;
