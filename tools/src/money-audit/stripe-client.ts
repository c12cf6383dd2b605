import { stripeClient } from '@vidivo/app-billing';
import Stripe from 'stripe';

/** Reads are safe to repeat: the SDK retries a lost or rate-limited one with its own backoff. */
const READ_RETRIES = 3;
const READ_TIMEOUT_MS = 30_000;

/** The audit's Stripe client: billing's own, pointed at a Stripe-compatible server when `apiBase` is given. It only ever reads. */
export function auditStripeClient(secretKey: string, apiBase?: string): Stripe {
  return stripeClient(secretKey, { apiBase, timeoutMs: READ_TIMEOUT_MS, maxNetworkRetries: READ_RETRIES });
}
