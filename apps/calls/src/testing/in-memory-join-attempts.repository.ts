import { isOver } from '@vidivo/call-state';
import { JoinCallResponse } from '@vidivo/contracts';
import { JoinAttempt, JoinAttemptsRepository } from '../calls/join-attempts.repository';
import { InMemoryCallsRepository } from './in-memory-calls.repository';
import { PublicPart } from './stand-in';

/** Join attempts in a map by key, taken over as the SQL does: no call past the grace, or its call over. */
export class InMemoryJoinAttemptsRepository implements PublicPart<JoinAttemptsRepository> {
  readonly rows = new Map<string, { callId: string; answer: JoinCallResponse | null; startedAt: number }>();

  constructor(private readonly calls: InMemoryCallsRepository) {}

  async begin(joinKey: string, callId: string, graceSeconds: number): Promise<JoinAttempt> {
    const row = this.rows.get(joinKey);
    if (row?.answer) return { answered: row.answer };
    if (row && !(await this.diedWithout(row, graceSeconds))) return { running: true };
    this.rows.set(joinKey, { callId, answer: null, startedAt: Date.now() });
    return { started: true };
  }

  async answer(joinKey: string, callId: string, answer: JoinCallResponse): Promise<void> {
    const row = this.rows.get(joinKey);
    if (row?.callId === callId) row.answer = answer;
  }

  async forget(joinKey: string, callId: string): Promise<void> {
    if (this.rows.get(joinKey)?.callId === callId) this.rows.delete(joinKey);
  }

  async abandonedCalls(seconds: number, limit: number): Promise<string[]> {
    const abandoned: string[] = [];
    for (const row of this.rows.values()) {
      if (row.answer || row.startedAt > Date.now() - seconds * 1000) continue;
      if ((await this.calls.byId(row.callId))?.status === 'waiting') abandoned.push(row.callId);
    }
    return abandoned.slice(0, limit);
  }

  async deleteOlderThan(hours: number): Promise<number> {
    const old = [...this.rows].filter(([, row]) => row.startedAt < Date.now() - hours * 3_600_000);
    for (const [key] of old) this.rows.delete(key);
    return old.length;
  }

  private async diedWithout(row: { callId: string; startedAt: number }, graceSeconds: number): Promise<boolean> {
    const call = await this.calls.byId(row.callId);
    return call ? isOver(call.status) : row.startedAt <= Date.now() - graceSeconds * 1000;
  }
}
