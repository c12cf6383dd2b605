import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CallIdMessage, EndCallMessage, HistoryMessage, HostIdMessage, JoinBookedCallMessage, JoinCallMessage, ResponseOf, SystemCallMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { EndCallUseCase } from '../use-cases/end-call/end-call.use-case';
import { HostJoinCallUseCase } from '../use-cases/host-join-call/host-join-call.use-case';
import { JoinBookedCallUseCase } from '../use-cases/join-booked-call/join-booked-call.use-case';
import { JoinCallUseCase } from '../use-cases/join-call/join-call.use-case';
import { CallsService } from './calls.service';

/** The calls app on the bus: each message to its use case, or to the service for one-step requests. */
@Controller()
export class CallsHandler {
  constructor(
    private readonly joinCall: JoinCallUseCase,
    private readonly joinBookedCall: JoinBookedCallUseCase,
    private readonly hostJoinCall: HostJoinCallUseCase,
    private readonly endCall: EndCallUseCase,
    private readonly calls: CallsService,
  ) {}

  @Handles('calls.join')
  join(@Payload() { actor, short_code, request, join_key }: JoinCallMessage): Promise<ResponseOf<'calls.join'>> {
    return this.joinCall.execute({ actor, shortCode: short_code, request, joinKey: join_key });
  }

  @Handles('calls.join-booked')
  joinBooked(@Payload() { actor, call_id, request }: JoinBookedCallMessage): Promise<ResponseOf<'calls.join-booked'>> {
    return this.joinBookedCall.execute({ actor, callId: call_id, request });
  }

  @Handles('calls.host-join')
  hostJoin(@Payload() { actor, call_id }: CallIdMessage): Promise<ResponseOf<'calls.host-join'>> {
    return this.hostJoinCall.execute({ actor, callId: call_id });
  }

  @Handles('calls.end')
  end(@Payload() { actor, call_id, request }: EndCallMessage): Promise<ResponseOf<'calls.end'>> {
    return this.endCall.execute({ actor, callId: call_id, request });
  }

  @Handles('calls.get')
  get(@Payload() { actor, call_id }: CallIdMessage): Promise<ResponseOf<'calls.get'>> {
    return this.calls.get(actor, call_id);
  }

  @Handles('calls.history')
  history(@Payload() { actor, query }: HistoryMessage): Promise<ResponseOf<'calls.history'>> {
    return this.calls.history(actor, query);
  }

  @Handles('calls.signaling-token')
  signalingToken(@Payload() { actor, call_id }: CallIdMessage): Promise<ResponseOf<'calls.signaling-token'>> {
    return this.calls.signalingToken(actor, call_id);
  }

  @Handles('calls.status')
  status(@Payload() { call_id }: SystemCallMessage): Promise<ResponseOf<'calls.status'>> {
    return this.calls.status(call_id);
  }

  @Handles('calls.mark-ringing')
  markRinging(@Payload() { call_id }: SystemCallMessage): Promise<ResponseOf<'calls.mark-ringing'>> {
    return this.calls.markRinging(call_id);
  }

  @Handles('calls.waiting-for-host')
  waitingForHost(@Payload() { host_id }: HostIdMessage): Promise<ResponseOf<'calls.waiting-for-host'>> {
    return this.calls.waitingForHost(host_id);
  }
}
