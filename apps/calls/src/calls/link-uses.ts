import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode, LinkClaimDto } from '@vidivo/contracts';
import { AppError, MessageBus } from '@vidivo/platform';
import { CallEntity } from './call.entity';
import { CallsRepository } from './calls.repository';
import { PendingLinkClaimsRepository } from './pending-link-claims.repository';

/** Links' answer says for sure whether it took the use: a refusal took nothing; no answer may have taken it. */
function refusedForSure(error: unknown): boolean {
  return error instanceof AppError && error.code !== ErrorCode.ServiceUnavailable && error.code !== ErrorCode.InternalError;
}

/**
 * The uses of a link that joins take (decision 9), kept whole across crashes (decision 32): a
 * pending row is written before links is asked and deleted in the transaction that records the
 * call, or once links has the use back. A join that dies in between leaves the row, and
 * LinkClaimsSweeper gives that use back; a join slower than the sweep cannot record its call any
 * more. So every use links counts belongs to a call calls recorded.
 */
@Injectable()
export class LinkUses {
  private readonly logger = new Logger('calls');

  constructor(
    private readonly bus: MessageBus,
    private readonly calls: CallsRepository,
    private readonly pending: PendingLinkClaimsRepository,
  ) {}

  /** Claims a use of the link for `callId`; 409 while another join for that call id is under way. */
  async claim(shortCode: string, callId: string): Promise<LinkClaimDto> {
    if (!(await this.pending.open(callId))) throw AppError.conflict('A join for this call is already in progress');
    try {
      return await this.bus.request('links.claim', { short_code: shortCode, call_id: callId });
    } catch (error) {
      // Without an answer the use may be taken: the row stays for the sweep to give it back.
      if (refusedForSure(error)) await this.pending.close(callId);
      throw error;
    }
  }

  /**
   * Records the call its claim was for, which confirms the claim; false when a call has that id
   * already (the claim is still pending then, to be given back). 503 when the join took so long
   * that the sweep has given the use back.
   */
  recordCall(call: CallEntity): Promise<boolean> {
    return this.calls.transaction(async (transaction) => {
      if (!(await this.pending.confirm(transaction, call.id))) throw AppError.serviceUnavailable('The join took too long and was given up; please try again');
      if (await this.calls.insertIfAbsent(transaction, call)) return true;
      await this.pending.open(call.id, transaction);
      return false;
    });
  }

  /** Takes back a waiting call that no hold backs (decision 25) and gives its use back; the claim is pending again until links has it. */
  async dropWaitingCall(callId: string): Promise<void> {
    await this.calls.transaction(async (transaction) => {
      if (await this.calls.deleteWaiting(transaction, callId)) await this.pending.open(callId, transaction);
    });
    await this.giveBack(callId);
  }

  /** Gives the call's use back to its link; when links does not answer, the sweep (or the call's failed event) does it later. */
  async giveBack(callId: string): Promise<void> {
    try {
      await this.bus.request('links.release', { call_id: callId });
      await this.pending.close(callId);
    } catch (error) {
      this.logger.warn(`link use of ${callId} not given back yet: ${(error as Error).message}`);
    }
  }
}
