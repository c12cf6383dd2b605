import { CallStatus } from '@vidivo/contracts';
import { EntityManager } from 'typeorm';
import { CallEntity } from '../calls/call.entity';
import { CallsRepository, HistoryPage, LockOptions, WarnedCall } from '../calls/calls.repository';
import { PublicPart } from './stand-in';

/** The fakes never look inside a transaction: it is only handed from the repository to the outbox and back. */
const IN_MEMORY_TRANSACTION = Object.freeze({}) as EntityManager;
const AWAITING_HOST: readonly CallStatus[] = ['waiting', 'ringing'];

/** A copy, as a row read from the database is: changing it changes nothing stored until it is saved. */
function copy(call: CallEntity): CallEntity {
  return Object.assign(new CallEntity(), call);
}

function secondsAgo(seconds: number): number {
  return Date.now() - seconds * 1000;
}

/**
 * The calls table in a map, for unit specs of what uses the repository. Statements keep their
 * meaning, not their concurrency: transactions run their work as it comes, and locks are free.
 */
export class InMemoryCallsRepository implements PublicPart<CallsRepository> {
  readonly rows = new Map<string, CallEntity>();
  private readonly warned = new Set<string>();

  /** Puts calls in place before the action under test. */
  seed(...calls: CallEntity[]): void {
    for (const call of calls) this.rows.set(call.id, copy(call));
  }

  /** A stored call as it is now (a copy). */
  stored(id: string): CallEntity | undefined {
    const call = this.rows.get(id);
    return call && copy(call);
  }

  async transaction<T>(work: (transaction: EntityManager) => Promise<T>): Promise<T> {
    return work(IN_MEMORY_TRANSACTION);
  }

  async byId(id: string): Promise<CallEntity | null> {
    return this.stored(id) ?? null;
  }

  async byIdOrFail(id: string): Promise<CallEntity> {
    const call = this.stored(id);
    if (!call) throw new Error(`No call ${id} in the repository`);
    return call;
  }

  async insertIfAbsent(_transaction: EntityManager, call: CallEntity): Promise<boolean> {
    if (this.rows.has(call.id)) return false;
    this.rows.set(call.id, copy(call));
    return true;
  }

  async deleteWaiting(_transaction: EntityManager, id: string): Promise<boolean> {
    if (this.rows.get(id)?.status !== 'waiting') return false;
    return this.rows.delete(id);
  }

  async lockForChange(_transaction: EntityManager, id: string, _options?: LockOptions): Promise<CallEntity | null> {
    return this.stored(id) ?? null;
  }

  async update(_transaction: EntityManager, id: string, changes: Partial<CallEntity>): Promise<void> {
    const stored = this.rows.get(id);
    if (stored) this.rows.set(id, Object.assign(copy(stored), changes));
  }

  async waitingForHost(hostId: string, limit: number): Promise<CallEntity[]> {
    return this.all()
      .filter((call) => call.hostId === hostId && AWAITING_HOST.includes(call.status))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
  }

  async history({ participantId, status, offset, limit }: HistoryPage): Promise<[CallEntity[], number]> {
    const calls = this.all()
      .filter((call) => (call.hostId === participantId || call.guestId === participantId) && (!status || call.status === status))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
    return [calls.slice(offset, offset + limit), calls.length];
  }

  async markHostJoined(id: string, expectedUntil: Date): Promise<void> {
    const call = this.rows.get(id);
    if (!call) return;
    call.hostJoinedAt ??= new Date();
    if (expectedUntil > call.expectedAt) call.expectedAt = expectedUntil;
  }

  async markGuestJoined(id: string): Promise<void> {
    const call = this.rows.get(id);
    if (call) call.guestJoinedAt ??= new Date();
  }

  async overdueForHost(seconds: number, limit: number): Promise<string[]> {
    return this.all()
      .filter((call) => AWAITING_HOST.includes(call.status) && call.expectedAt.getTime() <= secondsAgo(seconds))
      .sort((a, b) => a.expectedAt.getTime() - b.expectedAt.getTime())
      .slice(0, limit)
      .map((call) => call.id);
  }

  async activeLongerThan(seconds: number, limit: number): Promise<string[]> {
    return this.startedAtLeast(seconds)
      .slice(0, limit)
      .map((call) => call.id);
  }

  async claimEndingWarnings(_transaction: EntityManager, seconds: number): Promise<WarnedCall[]> {
    const claimed = this.startedAtLeast(seconds).filter((call) => !this.warned.has(call.id));
    for (const call of claimed) this.warned.add(call.id);
    return claimed.map((call) => ({ id: call.id, startedAt: call.startedAt! }));
  }

  async countByState(): Promise<Array<{ status: string; count: number }>> {
    const counts = new Map<string, number>();
    for (const call of this.rows.values()) counts.set(call.status, (counts.get(call.status) ?? 0) + 1);
    return [...counts].map(([status, count]) => ({ status, count }));
  }

  private all(): CallEntity[] {
    return [...this.rows.values()].map(copy);
  }

  private startedAtLeast(seconds: number): CallEntity[] {
    return this.all()
      .filter((call) => call.status === 'active' && call.startedAt !== null && call.startedAt.getTime() <= secondsAgo(seconds))
      .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  }
}
