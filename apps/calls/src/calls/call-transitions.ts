import { Injectable } from '@nestjs/common';
import { CallEventType, transition } from '@vidivo/call-state';
import { EventSubject } from '@vidivo/contracts';
import { AppError, Outbox } from '@vidivo/platform';
import { CallEntity } from './call.entity';
import { toCallSnapshot } from './call.mapper';
import { CallsRepository, LockOptions } from './calls.repository';

/** Which event a state change announces to other domains. */
const ANNOUNCED: Partial<Record<CallEventType, EventSubject>> = {
  host_notified: 'calls.call.ringing',
  started: 'calls.call.started',
  ended: 'calls.call.ended',
  declined: 'calls.call.ended',
  no_show: 'calls.call.ended',
  billing_failed: 'calls.call.ended',
};

export type Change = (call: CallEntity, now: Date) => Partial<CallEntity>;

/**
 * The one place a call changes state: under a row lock, through the state machine, with the
 * announcing event in the same transaction.
 */
@Injectable()
export class CallTransitions {
  constructor(
    private readonly calls: CallsRepository,
    private readonly outbox: Outbox,
  ) {}

  /** Applies an event or refuses with 409 and the state machine's reason. */
  async apply(callId: string, event: CallEventType, change: Change): Promise<CallEntity> {
    const outcome = await this.transact(callId, event, change, {});
    if ('refusal' in outcome) throw AppError.conflict(outcome.refusal);
    return outcome.call;
  }

  /** Applies an event when the call still accepts it; system events that lost a race are no-ops. */
  async applyIfPossible(callId: string, event: CallEventType, change: Change, options: LockOptions = {}): Promise<boolean> {
    const outcome = await this.transact(callId, event, change, options);
    return 'call' in outcome;
  }

  private transact(callId: string, event: CallEventType, change: Change, options: LockOptions): Promise<{ call: CallEntity } | { refusal: string }> {
    return this.calls.transaction(async (transaction) => {
      const call = await this.calls.lockForChange(transaction, callId, options);
      if (!call) return { refusal: 'The call is being changed by another request' };
      const next = transition(call.status, event);
      if (!next.ok) return { refusal: next.reason };
      const changes = { status: next.to, ...change(call, new Date()) };
      Object.assign(call, changes);
      await this.calls.update(transaction, call.id, changes);
      const subject = ANNOUNCED[event];
      if (subject) await this.outbox.add(transaction, subject, { call: toCallSnapshot(call) });
      return { call };
    });
  }
}
