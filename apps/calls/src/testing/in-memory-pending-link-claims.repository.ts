import { EntityManager } from 'typeorm';
import { PendingLinkClaimsRepository } from '../calls/pending-link-claims.repository';
import { PublicPart } from './stand-in';

/** Pending link claims in a map, by call id: whether the sweep took each over, and when it was opened. */
export class InMemoryPendingLinkClaimsRepository implements PublicPart<PendingLinkClaimsRepository> {
  readonly rows = new Map<string, { openedAt: number; swept: boolean }>();

  async open(callId: string, _transaction?: EntityManager): Promise<boolean> {
    if (this.rows.has(callId)) return false;
    this.rows.set(callId, { openedAt: Date.now(), swept: false });
    return true;
  }

  async confirm(_transaction: EntityManager, callId: string): Promise<boolean> {
    if (this.rows.get(callId)?.swept !== false) return false;
    return this.rows.delete(callId);
  }

  async close(callId: string): Promise<void> {
    this.rows.delete(callId);
  }

  async takeOverStale(graceSeconds: number, limit: number): Promise<string[]> {
    const stale = [...this.rows].filter(([, row]) => row.swept || row.openedAt <= Date.now() - graceSeconds * 1000).slice(0, limit);
    for (const [, row] of stale) row.swept = true;
    return stale.map(([callId]) => callId);
  }
}
