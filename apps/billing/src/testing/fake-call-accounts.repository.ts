import { BillingEvent } from '../billing/billing.events';
import { AccountStatus, CallAccount, CallAccountsRepository, NewCallAccount } from '../billing/call-accounts.repository';
import { FakeHoldsRepository } from './fake-holds.repository';
import { PublicPart } from './stand-in';

/** A row of billing.call_accounts, with the columns only the repository's SQL reads. */
export interface FakeCallAccountRow extends CallAccount {
  next_hold_at: Date | null;
  total_due_cents: number | null;
  captured_cents: number;
  settled_at: Date | null;
  busy_until: Date | null;
}

/** As long as CallAccountsRepository's lease. */
const BUSY_SECONDS = 120;
const seconds = (n: number) => n * 1000;

/**
 * billing.call_accounts in memory, condition for condition as CallAccountsRepository's SQL: the
 * lease (`busy_until`), the status moves, the top-up schedule. Events announced with a change go
 * to `announced`, as the outbox row commits with it.
 */
export class FakeCallAccountsRepository implements PublicPart<CallAccountsRepository> {
  private readonly rows = new Map<string, FakeCallAccountRow>();

  constructor(
    private readonly holds: FakeHoldsRepository,
    private readonly announced: BillingEvent[],
  ) {}

  async open(account: NewCallAccount): Promise<CallAccount | undefined> {
    const row = this.rows.get(account.call_id);
    if (!row) {
      const created: FakeCallAccountRow = {
        ...account,
        status: 'holding',
        started_at: null,
        settle_attempts: 0,
        created_at: new Date(),
        next_hold_at: null,
        total_due_cents: null,
        captured_cents: 0,
        settled_at: null,
        busy_until: null,
      };
      this.rows.set(account.call_id, created);
      return toAccount(created);
    }
    const retryable = ['holding', 'authenticating', 'abandoned'].includes(row.status);
    const heldAlready = this.holds.all(account.call_id).some((hold) => !['declined', 'requires_action', 'cancelled'].includes(hold.status));
    if (!retryable || heldAlready) return undefined;
    Object.assign(row, { payment_method_id: account.payment_method_id, customer_id: account.customer_id, receipt_email: account.receipt_email, status: 'holding' });
    return toAccount(row);
  }

  async find(callId: string): Promise<CallAccount | undefined> {
    const row = this.rows.get(callId);
    return row && toAccount(row);
  }

  async take(callId: string, when: 'any' | 'authenticating' | 'topUpDue' = 'any'): Promise<CallAccount | undefined> {
    const row = this.rows.get(callId);
    const now = Date.now();
    if (!row || (row.busy_until && row.busy_until.getTime() >= now)) return undefined;
    if (when === 'authenticating' && row.status !== 'authenticating') return undefined;
    if (when === 'topUpDue' && !(row.status === 'active' && row.next_hold_at && row.next_hold_at.getTime() <= now)) return undefined;
    row.busy_until = new Date(now + seconds(BUSY_SECONDS));
    return toAccount(row);
  }

  async release(callId: string): Promise<void> {
    const row = this.rows.get(callId);
    if (row) row.busy_until = null;
  }

  async move(
    callId: string,
    from: AccountStatus[],
    to: AccountStatus,
    extra: { paymentMethodId?: string; customerId?: string; unsettled?: boolean; announce?: BillingEvent } = {},
  ): Promise<boolean> {
    const row = this.rows.get(callId);
    if (!row || !from.includes(row.status) || (extra.unsettled && row.settle_attempts !== 0)) return false;
    Object.assign(row, { status: to, payment_method_id: extra.paymentMethodId ?? row.payment_method_id, customer_id: extra.customerId ?? row.customer_id });
    if (extra.announce) this.announced.push(extra.announce);
    return true;
  }

  async start(callId: string, startedAt: string, leadSeconds: number): Promise<void> {
    const row = this.rows.get(callId);
    if (row?.status !== 'holding') return;
    row.status = 'active';
    row.started_at = new Date(startedAt);
    row.next_hold_at = new Date(row.started_at.getTime() + seconds(row.window_size_minutes * 60 - leadSeconds));
  }

  async dueForTopUp(limit: number): Promise<string[]> {
    const now = Date.now();
    return [...this.rows.values()]
      .filter((row) => row.status === 'active' && row.next_hold_at && row.next_hold_at.getTime() <= now)
      .sort((a, b) => a.next_hold_at!.getTime() - b.next_hold_at!.getTime())
      .slice(0, limit)
      .map((row) => row.call_id);
  }

  async heldThrough(callId: string, window: number, leadSeconds: number): Promise<void> {
    const row = this.rows.get(callId);
    if (!row) return;
    row.next_hold_at = row.started_at && new Date(row.started_at.getTime() + seconds(row.window_size_minutes * 60 * window - leadSeconds));
  }

  async authenticatingSince(olderThanSeconds: number, limit: number): Promise<string[]> {
    const before = Date.now() - seconds(olderThanSeconds);
    return [...this.rows.values()]
      .filter((row) => row.status === 'authenticating' && row.created_at.getTime() <= before)
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
      .slice(0, limit)
      .map((row) => row.call_id);
  }

  async countSettleAttempt(callId: string): Promise<number | undefined> {
    const row = this.rows.get(callId);
    if (!row || ['settled', 'failed', 'abandoned'].includes(row.status)) return undefined;
    return ++row.settle_attempts;
  }

  async settled(callId: string, status: 'settled' | 'failed', totalCents: number | null, capturedCents: number, announce: BillingEvent): Promise<void> {
    const row = this.rows.get(callId);
    if (row) Object.assign(row, { status, total_due_cents: totalCents ?? row.total_due_cents, captured_cents: capturedCents, settled_at: new Date() });
    this.announced.push(announce);
  }

  /** Every column of a call's row, as a copy (undefined when billing never heard of the call). */
  row(callId: string): FakeCallAccountRow | undefined {
    const row = this.rows.get(callId);
    return row && { ...row };
  }

  /** As if `by` seconds more had passed for a call: its clock and its next top-up move back (the integration specs do this in SQL). */
  timePasses(callId: string, by: number): void {
    const row = this.rows.get(callId)!;
    const back = (date: Date | null) => date && new Date(date.getTime() - seconds(by));
    Object.assign(row, { started_at: back(row.started_at), next_hold_at: back(row.next_hold_at), created_at: back(row.created_at) });
  }

  /** Another worker (a replica, a crashed one) has the call's holds for `forSeconds`. */
  leaseElsewhere(callId: string, forSeconds = BUSY_SECONDS): void {
    this.rows.get(callId)!.busy_until = new Date(Date.now() + seconds(forSeconds));
  }
}

function toAccount(row: FakeCallAccountRow): CallAccount {
  const { next_hold_at: _next, total_due_cents: _due, captured_cents: _captured, settled_at: _settled, busy_until: _busy, ...account } = row;
  return { ...account };
}
