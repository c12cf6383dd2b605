/** What the audit reports; `kind` is one of {@link DISCREPANCY_KINDS}. */
export interface Discrepancy {
  kind: string;
  call_id?: string;
  payment_intent_id?: string;
  expected?: string;
  actual?: string;
  message: string;
}

/** Every kind of discrepancy the audit finds, with what it means (the CLI's help and decision 33 list them). */
export const DISCREPANCY_KINDS = {
  hold_open_after_call_ended: 'a PaymentIntent still requires_capture for a call that ended (or was abandoned) longer than the settle grace ago',
  capture_mismatch: "what Stripe captured for a finished call differs from the call's total_charged",
  double_capture: 'two PaymentIntents captured for one billing window of a call',
  unknown_payment_intent: 'a PaymentIntent of ours (metadata.call_id) that no hold and no ledger entry names',
  hold_missing_at_stripe: 'a hold names a PaymentIntent Stripe does not have',
  hold_mismatch: 'a hold of a finished call says other than its PaymentIntent (status, captured amount)',
  ledger_mismatch: 'a succeeded ledger entry of a finished call disagrees with its PaymentIntent (amount, captured, cancelled, or missing)',
} as const;

export type DiscrepancyKind = keyof typeof DISCREPANCY_KINDS;
