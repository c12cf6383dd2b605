import { useEffect, useState } from 'react';
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
  const action = error.details.next_action as { redirect_to_url?: { url?: string } };
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

/**
 * The bank's answer when this page load is the way back from it, read as the page mounts (so its
 * first render can show it); an effect then clears it from the address and from sessionStorage.
 */
export function useAuthenticationReturn<T>(key: string): AuthenticationReturn<T> | null {
  const [back] = useState(() => readAuthenticationReturn<T>(key));
  useEffect(() => {
    if (!back) return;
    history.replaceState(null, '', location.pathname);
    sessionStorage.removeItem(key);
  }, [back, key]);
  return back;
}

function readAuthenticationReturn<T>(key: string): AuthenticationReturn<T> | null {
  const params = new URLSearchParams(location.search);
  const paymentIntentId = params.get('payment_intent');
  if (!paymentIntentId) return null;
  let kept: T | null;
  try {
    kept = JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    kept = null;
  }
  return { paymentIntentId, succeeded: params.get('redirect_status') === 'succeeded', kept };
}

export const AUTHENTICATION_FAILED = 'Your bank did not confirm the payment. Try again, or use another card.';
