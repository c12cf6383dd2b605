import { Injectable } from '@nestjs/common';
import { Actor, CallDto, DEFAULT_PAGE, DEFAULT_PER_PAGE, HistoryQuery, Page, SignalingAccess } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { CallAccess } from '../access/call-access';
import { toCallDto } from './call.mapper';
import { knownCall, readableCall, roleOf } from './call-participants.policy';
import { CallTransitions } from './call-transitions';
import { CallsRepository } from './calls.repository';

/** The one-step requests on calls: reading them, the signaling edge's questions, and a fresh signaling token. The flows are use cases (`src/use-cases/`). */
@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly transitions: CallTransitions,
    private readonly access: CallAccess,
  ) {}

  async get(actor: Actor, callId: string): Promise<CallDto> {
    return toCallDto(await readableCall(this.calls, actor, callId));
  }

  async history(actor: Actor, query: HistoryQuery): Promise<Page<CallDto>> {
    const page = query.page ?? DEFAULT_PAGE;
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const [calls, total] = await this.calls.history({ participantId: actor.id, status: query.status, offset: (page - 1) * perPage, limit: perPage });
    return { data: calls.map(toCallDto), page, per_page: perPage, total };
  }

  /** A fresh signaling token for a participant of a call that is not over (decision 15). */
  async signalingToken(actor: Actor, callId: string): Promise<SignalingAccess> {
    const call = await readableCall(this.calls, actor, callId);
    const role = roleOf(actor, call);
    if (!role) throw AppError.forbidden('Only the participants of this call can connect to it');
    if (!['waiting', 'ringing', 'active'].includes(call.status)) throw AppError.conflict('The call has already ended');
    return this.access.grant(call, role);
  }

  /** For the signaling edge, which holds a token for the call and needs its current state. */
  async status(callId: string): Promise<CallDto> {
    return toCallDto(await knownCall(this.calls, callId));
  }

  /** An incoming_call notification reached a live host connection (decision 13); repeats change nothing. */
  async markRinging(callId: string): Promise<CallDto> {
    await this.transitions.applyIfPossible(callId, 'host_notified', () => ({}));
    return this.status(callId);
  }

  /** Calls a host has not picked up yet, oldest first, for a notification channel that just opened. */
  async waitingForHost(hostId: string): Promise<CallDto[]> {
    const calls = await this.calls.waitingForHost(hostId, 20);
    return calls.map(toCallDto);
  }
}
