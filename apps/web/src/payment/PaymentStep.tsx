import { Elements } from '@stripe/react-stripe-js';
import type { StripeElementsOptions } from '@stripe/stripe-js';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Alert } from '../pages/Layout';
import { CARD_FORM_LOADING, CARD_FORM_NOT_LOADED, cardError, cardStepSource, type CardStepSource } from './card-step-source';
import { StripeCardForm } from './StripeCardForm';
import { TEST_CARDS } from './test-cards';

export interface PaymentStepHandle {
  /** The PaymentMethod to send as payment_method_id: a chosen test card id, or one Stripe.js created. Throws ApiError(0, 'card_error', <a sentence a person understands>) when it cannot. */
  createPaymentMethod(billing: { name?: string; email?: string }): Promise<string>;
}

export interface PaymentStepProps {
  /** The first hold, in cents: what Stripe's Payment Element shows and checks the card against. */
  amountCents: number;
  /** Told whether a PaymentMethod can be made now (false while loading, or when the card form could not be loaded). */
  onReadyChange?: (ready: boolean) => void;
}

type Step = { kind: 'loading' } | CardStepSource | { kind: 'unavailable' };

/**
 * The card step of a join (decision 30). With the bundled emulator: Stripe's test cards (the
 * PaymentMethod is the chosen card's id). With STRIPE_PUBLISHABLE_KEY: Stripe's Payment Element,
 * the card becoming a PaymentMethod in the browser, so card details never reach our servers.
 */
export const PaymentStep = forwardRef<PaymentStepHandle, PaymentStepProps>(function PaymentStep({ amountCents, onReadyChange }, ref) {
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [stripeReady, setStripeReady] = useState(false);
  const source = useRef<PaymentStepHandle>(null);

  useEffect(() => {
    let live = true;
    cardStepSource().then(
      (found) => live && setStep(found),
      () => live && setStep({ kind: 'unavailable' }),
    );
    return () => {
      live = false;
    };
  }, []);

  const ready = step.kind === 'test-cards' || (step.kind === 'stripe' && stripeReady);
  useEffect(() => onReadyChange?.(ready), [ready, onReadyChange]);

  useImperativeHandle(
    ref,
    () => ({
      createPaymentMethod: async (billing) => {
        if (source.current) return source.current.createPaymentMethod(billing);
        throw cardError(step.kind === 'unavailable' ? CARD_FORM_NOT_LOADED : CARD_FORM_LOADING);
      },
    }),
    [step],
  );

  // Deferred mode: no PaymentIntent exists yet; billing makes it (manual capture, saved for later windows) at join.
  const options = useMemo<StripeElementsOptions>(
    () => ({
      mode: 'payment',
      amount: amountCents,
      currency: 'usd',
      captureMethod: 'manual',
      paymentMethodCreation: 'manual',
      setupFutureUsage: 'off_session',
      allowedPaymentMethodTypes: ['card'],
    }),
    [amountCents],
  );

  switch (step.kind) {
    case 'loading':
      return <p aria-live="polite">Loading the card form…</p>;
    case 'unavailable':
      return <Alert>{CARD_FORM_NOT_LOADED}</Alert>;
    case 'test-cards':
      return <TestCardChoice ref={source} />;
    case 'stripe':
      return (
        <Elements stripe={step.stripe} options={options}>
          <StripeCardForm ref={source} onReadyChange={setStripeReady} />
        </Elements>
      );
  }
});

/** Stripe's test cards as radio buttons: the PaymentMethod is the chosen card's id. */
const TestCardChoice = forwardRef<PaymentStepHandle>(function TestCardChoice(_props, ref) {
  const [card, setCard] = useState<string>(TEST_CARDS[0].id);
  useImperativeHandle(ref, () => ({ createPaymentMethod: () => Promise.resolve(card) }), [card]);
  return (
    <fieldset>
      <legend>Card (Stripe test cards)</legend>
      {TEST_CARDS.map((option) => (
        <label key={option.id} className="choice">
          <input type="radio" name="card" value={option.id} checked={card === option.id} onChange={() => setCard(option.id)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
});
