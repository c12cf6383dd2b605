import Stripe from 'stripe';

/** The API version every request is made with, whatever the Stripe account's default (decision 24). */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export interface StripeClientOptions {
  /** A Stripe-compatible server (STRIPE_API_BASE, e.g. the emulator) instead of api.stripe.com. */
  apiBase?: string;
  timeoutMs: number;
  /** How often the SDK itself repeats a request whose connection closed or that was rate limited. */
  maxNetworkRetries: number;
}

/** The official SDK at our API version, for billing and for the money audit alike. */
export function stripeClient(secretKey: string, { apiBase, timeoutMs, maxNetworkRetries }: StripeClientOptions): Stripe {
  const options: Stripe.StripeConfig = { apiVersion: STRIPE_API_VERSION, maxNetworkRetries, timeout: timeoutMs, telemetry: false };
  if (apiBase) {
    const base = new URL(apiBase);
    Object.assign(options, { protocol: base.protocol.replace(':', ''), host: base.hostname, port: base.port || undefined });
  }
  return new Stripe(secretKey, options);
}
