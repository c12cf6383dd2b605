/** A PaymentIntent a guest brings back to a join after authenticating the card (decision 25). */
export interface FindHoldOwnerCommand {
  paymentIntentId: string;
}
