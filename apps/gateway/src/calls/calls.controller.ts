import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  CallDto,
  CallPageSchema,
  CallSchema,
  EndCallRequest,
  EndCallResponse,
  EndCallResponseSchema,
  HistoryQuery,
  HostJoinResponse,
  HostJoinResponseSchema,
  JoinBookedCallRequest,
  JoinCallRequest,
  JoinCallResponse,
  JoinCallResponseSchema,
  Page,
  SignalingAccess,
  SignalingAccessSchema,
} from '@vidivo/contracts';
import { CurrentActor, MessageBus, OptionalAuth } from '@vidivo/platform';
import { JoinKey } from '../idempotency/join-key.decorator';
import { ApiErrors, ApiIdempotencyKey, ApiOptionalBearerAuth, WHEN } from '../openapi/openapi.decorators';
import { LimitDeclinedPayments, RateLimited } from '../rate-limit/rate-limit';

const NOT_A_PARTICIPANT = 'the caller is not a participant of this call';

@ApiTags('calls')
@Controller('v1/calls')
export class CallsController {
  constructor(private readonly bus: MessageBus) {}

  /** Guests may come without a token: calls then makes them a guest account (decision 8). */
  @OptionalAuth()
  @RateLimited()
  @LimitDeclinedPayments({ kind: 'link', param: 'shortCode' })
  @Post('join/:shortCode')
  @ApiOperation({
    summary: 'Start a call on a link',
    description:
      'Places a Stripe hold for the first billing window. Without a token a guest account is made and its `guest_token` returned. A card that needs authentication answers 402 `payment_action_required`; once the guest has authenticated it, repeat the join with `payment_intent_id` instead of `payment_method_id`.',
  })
  @ApiOptionalBearerAuth()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: JoinCallResponseSchema })
  @ApiErrors({
    400: WHEN.invalidBodyOrKey,
    401: 'a token was sent but is not valid',
    402: `the Stripe hold could not be placed, or the card's authentication failed; ${WHEN.paymentActionRequired}`,
    403: "the caller is an admin or the link's own host",
    404: 'unknown, expired or deactivated link',
    409: `the link reached its maximum use count, the payment_intent_id is not authenticated yet, was made for another link or already backs a call, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
    429: `${WHEN.rateLimited}, or ${WHEN.declinedPayments}`,
  })
  join(
    @CurrentActor() actor: Actor | undefined,
    @Param('shortCode') shortCode: string,
    @Body() request: JoinCallRequest,
    @JoinKey() joinKey: string | undefined,
  ): Promise<JoinCallResponse> {
    return this.bus.request('calls.join', { actor, short_code: shortCode, request, ...(joinKey ? { join_key: joinKey } : {}) });
  }

  /** A booked call (decision 18): host and guest both join through here. */
  @LimitDeclinedPayments({ kind: 'booking', param: 'id' })
  @Post(':id/join')
  @ApiOperation({
    summary: 'Join a booked call',
    description: 'From 10 minutes before the booked time to its end; `id` is the booking id. The guest sends a card for the hold, the host nothing.',
  })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiBody({ type: JoinBookedCallRequest, required: false })
  @ApiCreatedResponse({ type: JoinCallResponseSchema })
  @ApiErrors({
    400: `the guest sent no payment_method_id; ${WHEN.invalidBodyOrKey}`,
    401: WHEN.noToken,
    402: `the Stripe hold could not be placed, or the card's authentication failed; ${WHEN.paymentActionRequired}`,
    403: 'the caller is not a participant of this booking',
    404: 'no such booking',
    409: `the booking was cancelled, the call is not open yet or is over, the payment_intent_id is not authenticated yet or belongs elsewhere, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
    429: WHEN.declinedPayments,
  })
  joinBooked(@CurrentActor() actor: Actor, @Param('id') callId: string, @Body() request: JoinBookedCallRequest): Promise<JoinCallResponse> {
    return this.bus.request('calls.join-booked', { actor, call_id: callId, request });
  }

  @Post(':id/host-join')
  @ApiOperation({ summary: 'The host joins a call a guest started', description: 'The call becomes `active` and the clock starts.' })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: HostJoinResponseSchema })
  @ApiErrors({
    400: WHEN.invalidBodyOrKey,
    401: WHEN.noToken,
    403: 'the caller is not the host of this call',
    404: 'no such call',
    409: `the call cannot be joined any more, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
  })
  hostJoin(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<HostJoinResponse> {
    return this.bus.request('calls.host-join', { actor, call_id: callId });
  }

  @Post(':id/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a call', description: 'Captures exactly the minutes used across the holds and cancels the rest.' })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiBody({ type: EndCallRequest, required: false })
  @ApiOkResponse({ type: EndCallResponseSchema })
  @ApiErrors({
    400: WHEN.invalidBodyOrKey,
    401: WHEN.noToken,
    403: NOT_A_PARTICIPANT,
    404: 'no such call',
    409: `the call is not in an endable state, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
  })
  end(@CurrentActor() actor: Actor, @Param('id') callId: string, @Body() request: EndCallRequest): Promise<EndCallResponse> {
    return this.bus.request('calls.end', { actor, call_id: callId, request });
  }

  @Post(':id/signaling-token')
  @ApiOperation({ summary: 'A fresh signaling token and TURN credentials for a participant' })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: SignalingAccessSchema })
  @ApiErrors({
    400: WHEN.invalidBodyOrKey,
    401: WHEN.noToken,
    403: NOT_A_PARTICIPANT,
    404: 'no such call',
    409: `the call has ended, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
  })
  signalingToken(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<SignalingAccess> {
    return this.bus.request('calls.signaling-token', { actor, call_id: callId });
  }

  @Get('history')
  @ApiOperation({ summary: "The caller's calls, as host or guest, newest first" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: CallPageSchema })
  @ApiErrors({ 400: WHEN.invalidBody, 401: WHEN.noToken })
  history(@CurrentActor() actor: Actor, @Query() query: HistoryQuery): Promise<Page<CallDto>> {
    return this.bus.request('calls.history', { actor, query });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A call', description: 'Participants and admins only.' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: CallSchema })
  @ApiErrors({ 401: WHEN.noToken, 403: NOT_A_PARTICIPANT, 404: 'no such call' })
  get(@CurrentActor() actor: Actor, @Param('id') callId: string): Promise<CallDto> {
    return this.bus.request('calls.get', { actor, call_id: callId });
  }
}
