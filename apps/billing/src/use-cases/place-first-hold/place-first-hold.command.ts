import { PlaceFirstHoldMessage } from '@vidivo/contracts';

/**
 * The first hold of a call as calls asks for it (`billing.holds.place-first`, validated on
 * arrival): with the guest's card (`payment_method_id`), or with the PaymentIntent the guest has
 * just authenticated (`payment_intent_id`).
 */
export type PlaceFirstHoldCommand = PlaceFirstHoldMessage;
