import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  Actor,
  CallDto,
  EndCallRequest,
  EndCallResponse,
  HistoryQuery,
  HostJoinResponse,
  JoinBookedCallRequest,
  JoinCallRequest,
  JoinCallResponse,
  Page,
  SignalingAccess,
} from '@vidivo/contracts';
import { CurrentActor, MessageBus, OptionalAuth } from '@vidivo/platform';

@Controller('v1/calls')
export class CallsController {
  constructor(private readonly bus: MessageBus) {}

  /** Guests may come without a token: calls then makes them a guest account (decision 8). */
  @OptionalAuth()
  @Post('join/:shortCode')
  join(@CurrentActor() actor: Actor | undefined, @Param('shortCode') shortCode: string, @Body() request: JoinCallRequest): Promise<JoinCallResponse> {
    return this.bus.request('calls.join', { actor, short_code: shortCode, request });
  }

  /** A booked call (decision 18): host and guest both join through here. */
  @Post(':id/join')
  joinBooked(@CurrentActor() actor: Actor, @Param('id') callId: string, @Body() request: JoinBookedCallRequest): Promise<JoinCallResponse> {
    return this.bus.request('calls.join-booked', { actor, call_id: callId, request });
  }

  @Post(':id/host-join')
  hostJoin(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<HostJoinResponse> {
    return this.bus.request('calls.host-join', { actor, call_id: callId });
  }

  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentActor() actor: Actor, @Param('id') callId: string, @Body() request: EndCallRequest): Promise<EndCallResponse> {
    return this.bus.request('calls.end', { actor, call_id: callId, request });
  }

  @Post(':id/signaling-token')
  signalingToken(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<SignalingAccess> {
    return this.bus.request('calls.signaling-token', { actor, call_id: callId });
  }

  @Get('history')
  history(@CurrentActor() actor: Actor, @Query() query: HistoryQuery): Promise<Page<CallDto>> {
    return this.bus.request('calls.history', { actor, query });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<CallDto> {
    return this.bus.request('calls.get', { actor, call_id: callId });
  }
}
