/** A call its holds no longer cover (decision 11): a window could not be held, or a hold was cancelled or expired at Stripe. */
export interface EndCallBillingCommand {
  callId: string;
  /** Why, as the log and `billing.payment.failed` say it. */
  reason: string;
}
