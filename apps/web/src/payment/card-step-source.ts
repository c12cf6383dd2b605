// The pure entry injects Stripe.js only when loadStripe is called (the main entry does on import).
import { loadStripe } from '@stripe/stripe-js/pure';
import type { Stripe } from '@stripe/stripe-js';
import { ApiError } from '../api';
import { webConfig } from '../web-config';

/** Where the card step's PaymentMethod comes from on this platform (decision 30). */
export type CardStepSource = { kind: 'test-cards' } | { kind: 'stripe'; stripe: Stripe };

export const CARD_FORM_NOT_LOADED = 'The card form could not be loaded. Check your connection, then reload the page.';
export const CARD_FORM_LOADING = 'The card form is still loading. Please wait a moment and try again.';

/** What the card step throws when it cannot give a PaymentMethod: words for the person, no code of Stripe's or ours. */
export function cardError(message: string): ApiError {
  return new ApiError(0, 'card_error', message);
}

const stripeByKey = new Map<string, Promise<Stripe | null>>();

/**
 * Stripe's test cards with the bundled emulator; Stripe.js, loaded from js.stripe.com only now,
 * when the platform has a publishable key. Rejects when either cannot be had.
 */
export async function cardStepSource(): Promise<CardStepSource> {
  const { stripe_publishable_key: key } = await webConfig();
  if (!key) return { kind: 'test-cards' };
  let loading = stripeByKey.get(key);
  if (!loading) {
    loading = loadStripe(key);
    stripeByKey.set(key, loading);
    loading.catch(() => stripeByKey.delete(key));
  }
  const stripe = await loading;
  if (!stripe) throw new Error('Stripe.js is not available here');
  return { kind: 'stripe', stripe };
}
