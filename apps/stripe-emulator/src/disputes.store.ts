import type Stripe from 'stripe';
import { ChargeStore } from './charges.store';
import { Clock } from './clock';
import { EventStore } from './events.store';
import { newId } from './ids';
import { JournaledMap } from './state-journal';

const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

/** Days to respond; the real deadline depends on the card network, so this is the emulator's choice. */
const EVIDENCE_DAYS = 7;

/** Disputes the cardholder's bank opens on captured charges (https://docs.stripe.com/api/disputes/object). */
export class DisputeStore {
  constructor(
    private readonly clock: Clock,
    private readonly charges: ChargeStore,
    private readonly events: EventStore,
    private readonly disputes: JournaledMap<Stripe.Dispute> = new JournaledMap(),
  ) {}

  /** Opens a dispute on a captured charge and emits `charge.dispute.created`. */
  open(chargeId: string): Stripe.Dispute {
    const charge = this.charges.snapshot(chargeId);
    const created = this.clock.now();
    const dispute: Stripe.Dispute = {
      id: newId('dp'),
      object: 'dispute',
      amount: charge.amount_captured,
      balance_transactions: [],
      charge: charge.id,
      created,
      currency: charge.currency,
      enhanced_eligibility_types: [],
      evidence: {
        ...(Object.fromEntries(EVIDENCE_FIELDS.map((field) => [field, null])) as Record<(typeof EVIDENCE_FIELDS)[number], null>),
        enhanced_evidence: {},
      },
      evidence_details: {
        due_by: created + EVIDENCE_DAYS * 24 * 3_600,
        enhanced_eligibility: {},
        has_evidence: false,
        past_due: false,
        submission_count: 0,
        submission_method: 'not_submitted',
      },
      intended_submission_method: null,
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null),
      // Stripe's test dispute card opens a fraudulent dispute (https://docs.stripe.com/testing#disputes).
      reason: 'fraudulent',
      status: 'needs_response',
    };
    this.disputes.set(dispute.id, dispute);
    this.charges.markDisputed(chargeId);
    this.events.emit('charge.dispute.created', dispute);
    return structuredClone(dispute);
  }
}
