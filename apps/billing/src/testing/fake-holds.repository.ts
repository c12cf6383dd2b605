import type { CallAccount } from '../billing/call-accounts.repository';
import { Hold, HoldStatus, HoldsRepository } from '../billing/holds.repository';
import { PublicPart } from './stand-in';

/** billing.holds in memory, statement for statement as HoldsRepository's SQL does it (one hold per call and window). */
export class FakeHoldsRepository implements PublicPart<HoldsRepository> {
  private readonly rows: Hold[] = [];
  private created = 0;

  async ensure(account: CallAccount, window: number): Promise<Hold> {
    let row = this.rows.find((candidate) => candidate.call_id === account.call_id && candidate.window_number === window);
    if (!row) {
      row = {
        id: `hold_${String(++this.created).padStart(4, '0')}`,
        call_id: account.call_id,
        window_number: window,
        amount_cents: account.rate_cents * account.window_size_minutes,
        status: 'pending',
        payment_intent_id: null,
        payment_method_id: account.payment_method_id,
        attempt: 1,
        requested_at: null,
        captured_cents: 0,
        capture_before: null,
      };
      this.rows.push(row);
    }
    return { ...row };
  }

  async byIntent(intentId: string): Promise<Hold | undefined> {
    const row = this.rows.find((candidate) => candidate.payment_intent_id === intentId);
    return row && { ...row };
  }

  async ofCall(callId: string): Promise<Hold[]> {
    return this.all(callId);
  }

  async nextWindow(callId: string): Promise<number> {
    const placed = this.rows.filter((row) => row.call_id === callId && row.status !== 'pending').map((row) => row.window_number);
    return Math.max(0, ...placed) + 1;
  }

  async capturedSum(callId: string): Promise<number> {
    return this.rows.filter((row) => row.call_id === callId).reduce((sum, row) => sum + row.captured_cents, 0);
  }

  async switchCard(hold: Hold, paymentMethodId: string): Promise<Hold> {
    return this.update(hold, (row) =>
      Object.assign(row, { status: 'pending', payment_method_id: paymentMethodId, payment_intent_id: null, attempt: row.attempt + 1, requested_at: null }),
    );
  }

  async markRequested(hold: Hold): Promise<Hold> {
    return this.update(hold, (row) => (row.requested_at = new Date()));
  }

  async nextAttempt(hold: Hold): Promise<Hold> {
    return this.update(hold, (row) => Object.assign(row, { attempt: row.attempt + 1, requested_at: null }));
  }

  async authorized(hold: Hold, intentId: string, captureBefore: Date | null): Promise<Hold> {
    return this.update(hold, (row) => Object.assign(row, { status: 'authorized', payment_intent_id: intentId, capture_before: captureBefore }));
  }

  async requiresAction(hold: Hold, intentId: string): Promise<Hold> {
    return this.update(hold, (row) => Object.assign(row, { status: 'requires_action', payment_intent_id: intentId }));
  }

  async declined(hold: Hold, intentId: string | null): Promise<Hold> {
    return this.update(hold, (row) => Object.assign(row, { status: 'declined', payment_intent_id: intentId ?? row.payment_intent_id }));
  }

  async captured(hold: Hold, cents: number): Promise<Hold> {
    return this.update(hold, (row) => Object.assign(row, { status: 'captured', captured_cents: cents }));
  }

  async capturedIfAuthorized(hold: Hold, cents: number): Promise<boolean> {
    if (this.row(hold.id).status !== 'authorized') return false;
    await this.captured(hold, cents);
    return true;
  }

  async expiredIfAuthorized(hold: Hold): Promise<boolean> {
    if (this.row(hold.id).status !== 'authorized') return false;
    await this.released(hold, 'expired');
    return true;
  }

  async released(hold: Hold, status: 'cancelled' | 'expired' | 'failed'): Promise<Hold> {
    return this.update(hold, (row) => (row.status = status));
  }

  /** The holds of a call (or every hold), by window, as copies. */
  all(callId?: string): Hold[] {
    return this.rows
      .filter((row) => callId === undefined || row.call_id === callId)
      .sort((a, b) => a.window_number - b.window_number)
      .map((row) => ({ ...row }));
  }

  /** The statuses of a call's holds, by window: what most specs compare. */
  statuses(callId: string): HoldStatus[] {
    return this.all(callId).map((row) => row.status);
  }

  private update(hold: Hold, change: (row: Hold) => unknown): Hold {
    const row = this.row(hold.id);
    change(row);
    return { ...row };
  }

  private row(id: string): Hold {
    const row = this.rows.find((candidate) => candidate.id === id);
    // Holds are never deleted: every statement names a hold that exists.
    if (!row) throw new Error(`No hold ${id}`);
    return row;
  }
}
