import type { PaymentActionDetails } from '@vidivo/contracts';
import { ApiError } from '../api';

/**
 * The round trip a card's authentication (3-D Secure) takes (decision 25): the join answers 402
 * `payment_action_required`, the browser goes to the bank's page, and the bank sends it back to
 * the page that asked, with `?payment_intent=pi_…&redirect_status=succeeded|failed`. What the
 * person typed is kept in sessionStorage under `key` meanwhile.
 */

/** Goes to the bank's page when the error asks for it; false when it is another error. */
export function redirectForAuthentication(error: unknown, key: string, kept: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'payment_action_required' || !error.details || Array.isArray(error.details)) return false;
  const action = (error.details as PaymentActionDetails).next_action as { redirect_to_url?: { url?: string } };
  const url = action.redirect_to_url?.url;
  if (!url) return false;
  sessionStorage.setItem(key, JSON.stringify(kept));
  window.location.assign(url);
  return true;
}

export interface AuthenticationReturn<T> {
  paymentIntentId: string;
  succeeded: boolean;
  /** What was kept before leaving, if this browser still has it. */
  kept: T | null;
}

/** The bank's answer when this page load is the way back from it (and clears it from the address). */
export function takeAuthenticationReturn<T>(key: string): AuthenticationReturn<T> | null {
  const params = new URLSearchParams(location.search);
  const paymentIntentId = params.get('payment_intent');
  if (!paymentIntentId) return null;
  history.replaceState(null, '', location.pathname);
  let kept: T | null = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    kept = null;
  }
  sessionStorage.removeItem(key);
  return { paymentIntentId, succeeded: params.get('redirect_status') === 'succeeded', kept };
}

export const AUTHENTICATION_FAILED = 'Your bank did not confirm the payment. Try again, or use another card.';
