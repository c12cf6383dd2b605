import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { toIsoSeconds } from '@vidivo/contracts';
import { Outbox, PeriodicJobs } from '@vidivo/platform';
import { chargeFor } from '../domain/call-charge';
import { CallConnectionsRepository } from './call-connections.repository';
import { CallTransitions } from './call-transitions';
import { CallsRepository } from './calls.repository';
import { CallsSettings, callsSettings } from '../calls.settings';

/** Both peers hear `call_ending` this long before a call reaches its length cap (decision 28). */
const ENDING_WARNING_SECONDS = 60;
/** Calls each sweep takes at most; the next run takes the rest. */
const BATCH = 100;

/**
 * The deadlines of calls: still waiting for their host after CALL_NO_SHOW_SECONDS, they become
 * missed (decision 13); active for CALL_MAX_MINUTES, or with a participant gone for
 * CALL_ABANDON_SECONDS, they end (decision 28). Every replica sweeps; row locks with SKIP LOCKED
 * and the state machine make them agree.
 */
@Injectable()
export class CallDeadlinesSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger('call-deadlines');
  private readonly noShowSeconds: number;
  private readonly maxMinutes: number;
  private readonly abandonSeconds: number;

  constructor(
    private readonly calls: CallsRepository,
    private readonly connections: CallConnectionsRepository,
    private readonly transitions: CallTransitions,
    private readonly outbox: Outbox,
    private readonly jobs: PeriodicJobs,
    @Inject(callsSettings.token) settings: CallsSettings,
  ) {
    this.noShowSeconds = settings.CALL_NO_SHOW_SECONDS;
    this.maxMinutes = settings.CALL_MAX_MINUTES;
    this.abandonSeconds = settings.CALL_ABANDON_SECONDS;
  }

  onApplicationBootstrap(): void {
    // Check a few times per no-show threshold, at most every 5 s, so a call is missed close to its deadline.
    const everyMs = Math.min(5_000, Math.max(250, (this.noShowSeconds * 1000) / 4));
    this.jobs.every('call-deadlines', everyMs, () => this.sweep());
  }

  /** Marks calls whose host never came as missed; each in its own transaction, skipping rows another replica holds. */
  async sweepNoShows(thresholdSeconds: number): Promise<number> {
    let missed = 0;
    for (const id of await this.calls.overdueForHost(thresholdSeconds, BATCH)) {
      const changed = await this.transitions.applyIfPossible(id, 'no_show', (_, now) => ({ endedAt: now, endReason: 'timeout' }), { skipLocked: true });
      if (changed) missed++;
    }
    return missed;
  }

  /**
   * Calls are bounded (decision 28): a minute before CALL_MAX_MINUTES both peers are warned
   * (`calls.call.ending`), and at the limit the call ends with reason `max_duration`, billed to
   * that very moment. Safe with several replicas: the warning is claimed by one UPDATE, the end
   * goes through the state machine under SKIP LOCKED row locks.
   */
  async sweepOverlong(maxMinutes: number): Promise<number> {
    const limitSeconds = maxMinutes * 60;
    await this.calls.transaction(async (transaction) => {
      for (const call of await this.calls.claimEndingWarnings(transaction, Math.max(0, limitSeconds - ENDING_WARNING_SECONDS))) {
        const at = toIsoSeconds(new Date(call.startedAt.getTime() + limitSeconds * 1000));
        await this.outbox.add(transaction, 'calls.call.ending', { call_id: call.id, reason: 'max_duration', at });
      }
    });
    let ended = 0;
    for (const id of await this.calls.activeLongerThan(limitSeconds, BATCH)) {
      const changed = await this.transitions.applyIfPossible(
        id,
        'ended',
        (call) => {
          const endedAt = new Date(call.startedAt!.getTime() + limitSeconds * 1000);
          return { endedAt, endReason: 'max_duration', ...chargeFor(call.startedAt, endedAt, call.rateCents) };
        },
        { skipLocked: true },
      );
      if (changed) ended++;
    }
    return ended;
  }

  /**
   * Active calls a participant has left (decision 28): no signaling connection for `seconds`, the
   * resume grace included. The call ends `abandoned` at the moment that participant went, billed to
   * it, so nobody pays for time alone; once, whichever replica gets there first.
   */
  async sweepAbandoned(seconds: number): Promise<number> {
    let ended = 0;
    for (const { callId, goneSince } of await this.connections.goneFor(seconds, BATCH)) {
      const changed = await this.transitions.applyIfPossible(
        callId,
        'ended',
        (call) => ({ endedAt: goneSince, endReason: 'abandoned', ...chargeFor(call.startedAt, goneSince, call.rateCents) }),
        { skipLocked: true },
      );
      if (changed) ended++;
    }
    return ended;
  }

  private async sweep(): Promise<void> {
    const [missed, capped, abandoned] = await Promise.all([
      this.sweepNoShows(this.noShowSeconds),
      this.sweepOverlong(this.maxMinutes),
      // 0 turns the abandoned-call rule off.
      this.abandonSeconds > 0 ? this.sweepAbandoned(this.abandonSeconds) : 0,
    ]);
    if (missed > 0) this.logger.log(`${missed} call(s) missed: the host did not join within ${this.noShowSeconds} s`);
    if (capped > 0) this.logger.log(`${capped} call(s) ended at the ${this.maxMinutes}-minute limit`);
    if (abandoned > 0) this.logger.log(`${abandoned} call(s) ended: a participant was gone for ${this.abandonSeconds} s`);
  }
}
