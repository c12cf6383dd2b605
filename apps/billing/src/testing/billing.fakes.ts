import { PlaceFirstHoldMessage } from '@vidivo/contracts';
import { parseSettings } from '@vidivo/platform';
import { BillingSettings, billingSettings } from '../billing.settings';
import { BillingEvent } from '../billing/billing.events';
import { CallAccountsRepository } from '../billing/call-accounts.repository';
import { Customers } from '../billing/customers';
import { CustomersRepository } from '../billing/customers.repository';
import { Holds } from '../billing/holds';
import { HoldsRepository } from '../billing/holds.repository';
import { LedgerRepository } from '../billing/ledger.repository';
import { PaymentGateway } from '../stripe/payment-gateway';
import { FakeCallAccountsRepository } from './fake-call-accounts.repository';
import { FakeCustomersRepository } from './fake-customers.repository';
import { FakeHoldsRepository } from './fake-holds.repository';
import { FakeLedgerRepository } from './fake-ledger.repository';
import { FakePaymentGateway, TEST_CARDS } from './fake-payment-gateway';
import { standIn } from './stand-in';

/** The top-up lead of the specs: a minute, the default (HOLD_TOPUP_LEAD_SECONDS). */
export const LEAD_SECONDS = 60;

let calls = 0;

/** A call id of the length billing stores (26 characters), different in every spec. */
export function newCallId(): string {
  return `CALL${String(++calls).padStart(22, '0')}`;
}

/**
 * Billing's repositories and payment gateway in memory, with the real hold logic (`Holds`:
 * idempotency keys, look-ups, the ledger) and Customers over them, for use case specs: each use
 * case is built with `new`, taking `inject.*` where it injects a repository or the gateway.
 */
export class BillingFakes {
  /** Events committed with the changes they report, in order (billing's outbox). */
  readonly announced: BillingEvent[] = [];
  readonly stripe = new FakePaymentGateway();
  readonly holdRows = new FakeHoldsRepository();
  readonly accounts = new FakeCallAccountsRepository(this.holdRows, this.announced);
  readonly ledger = new FakeLedgerRepository();
  readonly customerRows = new FakeCustomersRepository();
  readonly settings: BillingSettings = parseSettings(billingSettings, { STRIPE_SECRET_KEY: 'sk_test_fakes', HOLD_TOPUP_LEAD_SECONDS: String(LEAD_SECONDS) });
  /** The fakes as the classes they stand for. */
  readonly inject = {
    accounts: standIn<CallAccountsRepository>(this.accounts),
    holdRows: standIn<HoldsRepository>(this.holdRows),
    ledger: standIn<LedgerRepository>(this.ledger),
    customerRows: standIn<CustomersRepository>(this.customerRows),
    stripe: standIn<PaymentGateway>(this.stripe),
  };
  readonly holds = new Holds(this.inject.holdRows, this.inject.ledger, this.inject.stripe);
  readonly customers = new Customers(this.inject.customerRows, this.inject.stripe);

  /** What calls sends as `billing.holds.place-first` for a link's call; `fields` change it. */
  firstHoldRequest(fields: Partial<PlaceFirstHoldMessage> = {}): PlaceFirstHoldMessage {
    return {
      call_id: newCallId(),
      payment_method_id: TEST_CARDS.visa,
      rate_per_minute: '1.00',
      window_size_minutes: 1,
      guest: { id: 'GUEST0000000000000000000001', display_name: 'Grace', email: 'grace@example.com' },
      host_name: 'Ada',
      purpose: 'link:01JLINK000000000000000000A',
      return_url: 'http://localhost:3000/c/abc123',
      ...fields,
    };
  }

  /**
   * A call whose windows 1…`windows` are held at Stripe, as joins and top-ups leave it: the account
   * active since `startedSecondsAgo` (or still waiting for the host when undefined).
   */
  async heldCall(options: { windows: number; rateCents?: number; windowMinutes?: number; startedSecondsAgo?: number }): Promise<string> {
    const callId = newCallId();
    const account = (await this.accounts.open({
      call_id: callId,
      customer_id: 'cus_guest',
      payment_method_id: 'pm_saved_guest',
      rate_cents: options.rateCents ?? 100,
      window_size_minutes: options.windowMinutes ?? 1,
      purpose: 'link:01JLINK000000000000000000A',
      receipt_email: null,
      description: 'Call with Ada at $1.00/min',
    }))!;
    for (let window = 1; window <= options.windows; window++) {
      const placed = await this.holds.place(account, window, window === 1 ? { onSession: { returnUrl: 'http://localhost:3000/c/abc123' } } : {});
      if (placed.kind !== 'held') throw new Error(`window ${window} of the seeded call was not held: ${placed.kind}`);
    }
    if (options.startedSecondsAgo !== undefined) {
      await this.accounts.start(callId, new Date(Date.now() - options.startedSecondsAgo * 1000).toISOString(), LEAD_SECONDS);
      await this.accounts.heldThrough(callId, options.windows, LEAD_SECONDS);
    }
    return callId;
  }

  /** The PaymentIntents of a call as [status, amount received], oldest first. */
  intentStates(callId: string): Array<[string, number]> {
    return this.stripe.intentsOf(callId).map((intent) => [intent.status, intent.amount_received]);
  }

  /** The subjects of the events announced for a call, in order. */
  eventsOf(callId: string): BillingEvent[] {
    return this.announced.filter((event) => event.payload.call_id === callId);
  }
}
