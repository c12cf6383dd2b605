import { Injectable } from '@nestjs/common';
import { HostJoinResponse } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { CallAccess } from '../../access/call-access';
import { toCallDto } from '../../calls/call.mapper';
import { readableCall } from '../../calls/call-participants.policy';
import { CallTransitions } from '../../calls/call-transitions';
import { CallsRepository } from '../../calls/calls.repository';
import { HostJoinCallCommand } from './host-join-call.command';

/** The host picks up: the call becomes active and the timer starts (decision 10); the state machine refuses it once the call is past waiting or ringing. */
@Injectable()
export class HostJoinCallUseCase {
  constructor(
    private readonly calls: CallsRepository,
    private readonly transitions: CallTransitions,
    private readonly access: CallAccess,
  ) {}

  async execute({ actor, callId }: HostJoinCallCommand): Promise<HostJoinResponse> {
    const existing = await readableCall(this.calls, actor, callId);
    if (existing.hostId !== actor.id) throw AppError.forbidden('Only the host of this call can join it as host');
    const call = await this.transitions.apply(callId, 'started', (_, now) => ({ startedAt: now, hostJoinedAt: now }));
    return { call: toCallDto(call), ...this.access.grant(call, 'host') };
  }
}
