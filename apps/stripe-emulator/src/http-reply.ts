import { StripeApiError } from './stripe-api.error';

/** An HTTP answer, written by the server as is. */
export interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value) };
}

export function html(status: number, page: string): Reply {
  return { status, body: page, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
}

/** A Stripe error answer; anything that is not a StripeApiError is the emulator's own 500. */
export function errorReply(error: unknown): Reply {
  const stripeError = error instanceof StripeApiError ? error : new StripeApiError(500, { type: 'api_error', message: `The emulator failed: ${(error as Error).message}` }, false);
  return json(stripeError.status, { error: stripeError.error });
}
