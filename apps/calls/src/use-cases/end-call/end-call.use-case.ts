import { Injectable } from '@nestjs/common';
import { EndCallResponse } from '@vidivo/contracts';
import { AppError, CallRole } from '@vidivo/platform';
import { CallEntity } from '../../calls/call.entity';
import { toCallDto } from '../../calls/call.mapper';
import { readableCall, roleOf } from '../../calls/call-participants.policy';
import { CallTransitions } from '../../calls/call-transitions';
import { CallsRepository } from '../../calls/calls.repository';
import { chargeFor } from '../../domain/call-charge';
import { EndCallCommand } from './end-call.command';

/** A participant ends the call, charged from host-join to now (decision 10); the host may instead decline one still waiting (decision 30). */
@Injectable()
export class EndCallUseCase {
  constructor(
    private readonly calls: CallsRepository,
    private readonly transitions: CallTransitions,
  ) {}

  async execute({ actor, callId, request }: EndCallCommand): Promise<EndCallResponse> {
    const existing = await readableCall(this.calls, actor, callId);
    const role = roleOf(actor, existing);
    if (!role) throw AppError.forbidden('Only the participants of this call can end it');
    const reason = request.reason ?? (role === 'host' ? 'host_ended' : 'user_ended');
    if (reason === 'host_declined') return this.decline(role, existing);
    const call = await this.transitions.apply(callId, 'ended', (ending, now) => ({ endedAt: now, endReason: reason, ...chargeFor(ending.startedAt, now, ending.rateCents) }));
    return { call: toCallDto(call) };
  }

  /** The host turns down a call still waiting for them: completed, nothing charged, its holds released by the settlement (decision 30). */
  private async decline(role: CallRole, existing: CallEntity): Promise<EndCallResponse> {
    if (role !== 'host') throw AppError.forbidden('Only the host can decline a call');
    const call = await this.transitions.apply(existing.id, 'declined', (_, now) => ({ endedAt: now, endReason: 'host_declined' }));
    return { call: toCallDto(call) };
  }
}
