import { Injectable, Logger } from '@nestjs/common';
import { formatCents, parseCents } from '@vidivo/money';
import { capturePlan } from '../../domain/capture-plan';
import { CallAccount, CallAccountsRepository } from '../../billing/call-accounts.repository';
import { Holds } from '../../billing/holds';
import { Hold, HoldsRepository } from '../../billing/holds.repository';
import { SettleCallCommand } from './settle-call.command';

/** After this many tries a settlement that Stripe keeps refusing is given up and the call failed. */
export const MAX_SETTLE_ATTEMPTS = 6;
/** A hold lost from under the plan (expired, cancelled outside) makes the rest be planned again, this often at most. */
const PLANNING_ROUNDS = 3;

type Outcome = { kind: 'settled'; failure: string | null; cancelled: number } | { kind: 'retry'; reason: string };

/**
 * Takes exactly what a call cost from its holds, oldest first, and releases the rest (decision 11).
 * Safe to run again after any failure: finished holds are skipped, lost answers are looked up
 * (decision 27). Throws to be tried again (the event is redelivered) while Stripe's answers are
 * unknown, up to {@link MAX_SETTLE_ATTEMPTS}; then, or when the holds cannot cover the total, the
 * settlement fails and `billing.settlement.failed` goes out.
 */
@Injectable()
export class SettleCallUseCase {
  private readonly logger = new Logger('billing');

  constructor(
    private readonly accounts: CallAccountsRepository,
    private readonly holdRows: HoldsRepository,
    private readonly holds: Holds,
  ) {}

  async execute({ callId, totalCharged }: SettleCallCommand): Promise<void> {
    const account = await this.accounts.take(callId);
    if (!account) {
      if (!(await this.accounts.find(callId))) return; // nothing was ever held for this call
      throw new Error(`call ${callId} is busy with Stripe; its settlement will be retried`);
    }
    const totalCents = parseCents(totalCharged)!;
    let attempts: number | undefined;
    let outcome: Outcome;
    try {
      attempts = await this.accounts.countSettleAttempt(callId);
      if (attempts === undefined) return; // settled already
      outcome = await this.settleTaken(account, totalCents);
    } finally {
      await this.accounts.release(callId);
    }
    if (outcome.kind === 'settled') return this.finish(callId, totalCents, outcome);
    if (attempts < MAX_SETTLE_ATTEMPTS) throw new Error(`settlement of call ${callId} will be retried: ${outcome.reason}`);
    this.logger.error(`call ${callId}: settlement given up after ${attempts} attempts: ${outcome.reason}`);
    await this.accounts.settled(callId, 'failed', totalCents, await this.holdRows.capturedSum(callId), {
      subject: 'billing.settlement.failed',
      payload: { call_id: callId, reason: outcome.reason },
    });
  }

  private async settleTaken(account: CallAccount, totalCents: number): Promise<Outcome> {
    // Holds whose outcome was lost are found first; holds still waiting for authentication are released.
    const found = await this.holdRows.ofCall(account.call_id);
    const unsure = found.filter((hold) => hold.status === 'pending' || hold.status === 'requires_action');
    for (const hold of unsure) {
      const result = hold.status === 'pending' ? await this.holds.resolvePending(account, hold) : await this.holds.cancel(hold);
      if (result.kind === 'unknown') return { kind: 'retry', reason: `hold ${hold.id}: ${result.message}` };
    }
    let failure: string | null = null;
    let cancelled = 0;
    // Each round reads the holds again, but the first needs no second read when the loop above changed none.
    let holds: Hold[] | undefined = unsure.length ? undefined : found;
    for (let round = 1; round <= PLANNING_ROUNDS; round++) {
      holds ??= await this.holdRows.ofCall(account.call_id);
      const open = holds.filter((hold) => hold.status === 'authorized');
      const capturedBefore = holds.reduce((sum, hold) => sum + hold.captured_cents, 0);
      holds = undefined;
      const plan = capturePlan(
        open.map((hold) => ({ holdId: hold.id, amountCents: hold.amount_cents })),
        totalCents - capturedBefore,
      );
      let lost = false;
      for (const action of plan.actions) {
        const hold = open.find((candidate) => candidate.id === action.holdId)!;
        const result = action.action === 'capture' ? await this.holds.capture(hold, action.amountCents) : await this.holds.cancel(hold);
        if (result.kind === 'unknown') return { kind: 'retry', reason: `${action.action} of ${hold.id}: ${result.message}` };
        if (result.kind === 'lost') {
          // Plan again before touching the later holds: they must cover the lost hold's share.
          lost = true;
          break;
        }
        if (result.kind === 'refused') failure ??= `${action.action} of ${hold.id} refused: ${result.message}`;
        if (result.kind === 'done' && action.action === 'cancel') cancelled++;
      }
      if (!lost) {
        // Less captured than the call cost (its holds expired or were cancelled at Stripe): the settlement failed.
        if (plan.shortfallCents > 0) failure ??= `holds short by ${formatCents(plan.shortfallCents)} of ${formatCents(totalCents)}`;
        break;
      }
    }
    return { kind: 'settled', failure, cancelled };
  }

  private async finish(callId: string, totalCents: number, outcome: Extract<Outcome, { kind: 'settled' }>): Promise<void> {
    const captured = await this.holdRows.capturedSum(callId);
    if (outcome.failure) {
      this.logger.error(`call ${callId}: settlement failed: ${outcome.failure}`);
      await this.accounts.settled(callId, 'failed', totalCents, captured, { subject: 'billing.settlement.failed', payload: { call_id: callId, reason: outcome.failure } });
      return;
    }
    await this.accounts.settled(callId, 'settled', totalCents, captured, {
      subject: 'billing.settlement.completed',
      payload: { call_id: callId, captured: formatCents(captured), cancelled_holds: outcome.cancelled },
    });
  }
}
