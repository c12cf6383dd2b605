import type Stripe from 'stripe';
import { ChargeStore } from './charges.store';
import { CustomerStore } from './customers.store';
import { PaymentMethodStore } from './payment-methods.store';

const EXPANDABLE = ['customer', 'latest_charge', 'payment_method'] as const;

/** What `expand[]` may name on a PaymentIntent answer (https://docs.stripe.com/expand); lists take `data.`-prefixed paths. */
export const PAYMENT_INTENT_EXPANSIONS: readonly string[] = EXPANDABLE;
export const PAYMENT_INTENT_LIST_EXPANSIONS: readonly string[] = EXPANDABLE.map((path) => `data.${path}`);

/** Replaces the ids named by `paths` with the objects they refer to, as they are now. */
export class PaymentIntentExpander {
  constructor(
    private readonly charges: ChargeStore,
    private readonly customers: CustomerStore,
    private readonly paymentMethods: PaymentMethodStore,
  ) {}

  expand(intent: Stripe.PaymentIntent, paths: readonly string[]): Stripe.PaymentIntent {
    const expanded = structuredClone(intent);
    for (const path of paths.map((candidate) => candidate.replace(/^data\./, ''))) {
      if (path === 'latest_charge' && typeof expanded.latest_charge === 'string') {
        expanded.latest_charge = this.charges.snapshot(expanded.latest_charge);
      }
      if (path === 'payment_method' && typeof expanded.payment_method === 'string') {
        expanded.payment_method = this.paymentMethods.snapshot(expanded.payment_method);
      }
      if (path === 'customer' && typeof expanded.customer === 'string') {
        expanded.customer = structuredClone(this.customers.find(expanded.customer, 'customer'));
      }
    }
    return expanded;
  }
}
