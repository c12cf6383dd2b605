import { PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { StripeError } from '@stripe/stripe-js';
import { forwardRef, useImperativeHandle, useState } from 'react';
import { Alert } from '../pages/Layout';
import { CARD_FORM_LOADING, CARD_FORM_NOT_LOADED, cardError } from './card-step-source';
import type { PaymentStepHandle } from './PaymentStep';

/**
 * Stripe's Payment Element inside `<Elements>`; a PaymentMethod is made from it with
 * `elements.submit()` (which checks the fields and shows what is missing beside them) then
 * `stripe.createPaymentMethod`.
 */
export const StripeCardForm = forwardRef<PaymentStepHandle, { onReadyChange: (ready: boolean) => void }>(function StripeCardForm({ onReadyChange }, ref) {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);

  useImperativeHandle(
    ref,
    () => ({
      createPaymentMethod: async ({ name, email }) => {
        if (loadFailed) throw cardError(CARD_FORM_NOT_LOADED);
        if (!stripe || !elements || !ready) throw cardError(CARD_FORM_LOADING);
        const submitted = await elements.submit();
        if (submitted.error) throw cardError(readable(submitted.error));
        const created = await stripe.createPaymentMethod({ elements, params: { billing_details: { name: name || undefined, email: email || undefined } } });
        if (created.error) throw cardError(readable(created.error));
        return created.paymentMethod.id;
      },
    }),
    [stripe, elements, ready, loadFailed],
  );

  return (
    <fieldset>
      <legend>Card</legend>
      <PaymentElement
        onReady={() => {
          setReady(true);
          onReadyChange(true);
        }}
        onLoadError={() => {
          setLoadFailed(true);
          setReady(false);
          onReadyChange(false);
        }}
      />
      {loadFailed && <Alert>{CARD_FORM_NOT_LOADED}</Alert>}
    </fieldset>
  );
});

/**
 * Stripe's own message for what the person can fix (an incomplete number, a declined card);
 * anything else — a network or configuration problem — in our words.
 */
function readable(error: StripeError): string {
  if ((error.type === 'card_error' || error.type === 'validation_error') && error.message) return error.message;
  return 'Your card could not be checked with Stripe. Check your connection and try again.';
}
