import { createHmac } from 'node:crypto';

/**
 * The `Stripe-Signature` header (https://docs.stripe.com/webhooks/signature): `t=<unix seconds>`
 * and `v1=` the hex HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's secret.
 */
export function signatureHeader(secret: string, timestamp: number, payload: string): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
