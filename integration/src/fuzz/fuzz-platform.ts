import { billingApp } from '@vidivo/app-billing';
// Test-only imports: they must not make the apps' builds depend on each other (a cycle).
import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { schedulingApp } from '@vidivo/app-scheduling';
import { StripeEmulator } from '@vidivo/app-stripe-emulator';
import { ALWAYS_OPEN_AVAILABILITY, Account, ComposedPlatform, registerAccount, startComposedPlatform } from '@vidivo/testing';

/** The whole platform in process, with what hostile requests aim at: a host with a link and open hours, and a guest. */
export interface FuzzPlatform {
  platform: ComposedPlatform<StripeEmulator>;
  host: Account;
  guest: Account;
  /** A usable link of the host's. */
  shortCode: string;
  linkId: string;
  /** The guest's booking with the host, a day ahead (also the id of its call). */
  bookingId: string;
}

const HOUR_MS = 3600_000;

/** Every app and the Stripe emulator; the rate limit is off, so thousands of requests from one address all get through to the checks. */
export async function startFuzzPlatform(name: string): Promise<FuzzPlatform> {
  const platform = await startComposedPlatform({
    name,
    apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp, schedulingApp],
    emulator: () => StripeEmulator.start(),
    env: { RATE_LIMIT_PER_MINUTE: '0', DECLINED_PAYMENTS_PER_HOUR: '0' },
  });
  try {
    const host = await registerAccount(platform.api, 'host');
    const guest = await registerAccount(platform.api, 'user', 'guest');
    const availability = await platform.api.put('/v1/schedule/availability', ALWAYS_OPEN_AVAILABILITY, { token: host.token });
    const link = await platform.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    const tomorrow = `${new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + 24 * HOUR_MS).toISOString().slice(0, 19)}Z`;
    const booking = await platform.api.post('/v1/schedule/book', { host_username: host.username, scheduled_at: tomorrow, duration_minutes: 30 }, { token: guest.token });
    for (const step of [availability, link, booking]) if (step.status >= 300) throw new Error(`setting up the host failed: ${step.status} ${step.text}`);
    return { platform, host, guest, shortCode: link.body.short_code, linkId: link.body.id, bookingId: booking.body.id };
  } catch (error) {
    await platform.close();
    throw error;
  }
}
