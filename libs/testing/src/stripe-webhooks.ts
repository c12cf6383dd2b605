import { randomBytes } from 'node:crypto';

/** A webhook signing secret made at test time, as Stripe's look (`whsec_…`); never one kept in the repository. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** Where a platform under test takes Stripe's webhooks (decision 26). */
export function webhookUrl(baseUrl: string): string {
  return `${baseUrl}/v1/webhooks/stripe`;
}
