import type Stripe from 'stripe';

/**
 * The emulator's stand-in for the bank's 3-D Secure page, where `next_action` sends the customer:
 * two buttons posting the outcome back.
 */
export function authenticationPage(intent: Stripe.PaymentIntent): string {
  const amount = `${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>3D Secure test authentication</title></head>
<body>
  <h1>3D Secure test authentication</h1>
  <p>Stripe emulator: authenticate the payment of ${escapeHtml(amount)} (${escapeHtml(intent.id)}).</p>
  <form method="post" action="/_emulator/authenticate/${encodeURIComponent(intent.id)}">
    <input type="hidden" name="client_secret" value="${escapeHtml(intent.client_secret ?? '')}">
    <button type="submit" name="outcome" value="succeed">Complete authentication</button>
    <button type="submit" name="outcome" value="fail">Fail authentication</button>
  </form>
</body>
</html>
`;
}

/** Shown after the choice when there is no return_url (the Stripe.js flow closes its own window). */
export function authenticationDonePage(intent: Stripe.PaymentIntent): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authentication done</title></head>
<body><p>Authentication done: the PaymentIntent ${escapeHtml(intent.id)} is now ${escapeHtml(intent.status)}. You can close this page.</p></body>
</html>
`;
}

/**
 * Where the customer goes back after authenticating: the return_url with `payment_intent`,
 * `payment_intent_client_secret` and `redirect_status` added, as Stripe's redirect does
 * (https://docs.stripe.com/payments/3d-secure/authentication-flow#manual-redirect).
 */
export function returnUrlFor(returnUrl: string, intent: Stripe.PaymentIntent): string {
  const url = new URL(returnUrl);
  url.searchParams.set('payment_intent', intent.id);
  url.searchParams.set('payment_intent_client_secret', intent.client_secret ?? '');
  url.searchParams.set('redirect_status', ['succeeded', 'requires_capture', 'processing'].includes(intent.status) ? 'succeeded' : 'failed');
  return url.toString();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
