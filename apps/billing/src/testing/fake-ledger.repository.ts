import { LedgerEntry, LedgerRepository } from '../billing/ledger.repository';
import { PublicPart } from './stand-in';

/** billing.ledger in memory: every Stripe request and its outcome, in order. */
export class FakeLedgerRepository implements PublicPart<LedgerRepository> {
  readonly entries: LedgerEntry[] = [];

  async record(entry: LedgerEntry): Promise<void> {
    this.entries.push({ ...entry });
  }

  /** The entries of one call and operation, in order. */
  of(callId: string, operation?: LedgerEntry['operation']): LedgerEntry[] {
    return this.entries.filter((entry) => entry.callId === callId && (operation === undefined || entry.operation === operation));
  }
}
