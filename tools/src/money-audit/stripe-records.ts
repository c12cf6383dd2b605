import Stripe from 'stripe';

/** How many PaymentIntents are looked up by id at once. */
const LOOKUPS_AT_ONCE = 8;

/**
 * The platform's PaymentIntents carry the call they hold money for in `metadata.call_id` (billing
 * sets it with `window` on every hold, apps/billing/src/stripe/payment-gateway.ts); anything else
 * on the account belongs to someone else and is none of the audit's business.
 */
export function callIdOf(intent: Stripe.PaymentIntent): string | undefined {
  return intent.metadata?.call_id || undefined;
}

/**
 * Our PaymentIntents created at or after `since` (all of them without it). Stripe lists newest
 * first, so paging stops at the first older one; the `created` filter is not sent, so a
 * Stripe-compatible server without it answers the same.
 */
export async function listOurIntents(stripe: Stripe, since?: Date): Promise<Stripe.PaymentIntent[]> {
  const sinceSeconds = since ? Math.floor(since.getTime() / 1000) : undefined;
  const ours: Stripe.PaymentIntent[] = [];
  for await (const intent of stripe.paymentIntents.list({ limit: 100 })) {
    if (sinceSeconds !== undefined && intent.created < sinceSeconds) break;
    if (callIdOf(intent)) ours.push(intent);
  }
  return ours;
}

export interface LookedUpIntents {
  found: Stripe.PaymentIntent[];
  /** Ids Stripe has no PaymentIntent for. */
  missing: string[];
}

/** The PaymentIntents of these ids (those our records name but the listing did not reach), a few at a time. */
export async function retrieveIntents(stripe: Stripe, ids: string[]): Promise<LookedUpIntents> {
  const result: LookedUpIntents = { found: [], missing: [] };
  for (let start = 0; start < ids.length; start += LOOKUPS_AT_ONCE) {
    await Promise.all(
      ids.slice(start, start + LOOKUPS_AT_ONCE).map(async (id) => {
        try {
          result.found.push(await stripe.paymentIntents.retrieve(id));
        } catch (error) {
          if (!(error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing')) throw error;
          result.missing.push(id);
        }
      }),
    );
  }
  return result;
}
