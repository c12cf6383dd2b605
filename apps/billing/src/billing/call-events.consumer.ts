import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { SettleCallUseCase } from '../use-cases/settle-call/settle-call.use-case';
import { StartCallClockUseCase } from '../use-cases/start-call-clock/start-call-clock.use-case';

/** Billing follows the calls it holds money for: the clock starts at `started`, money moves at `ended`. */
@Injectable()
export class CallEventsConsumer {
  constructor(
    private readonly startCallClock: StartCallClockUseCase,
    private readonly settleCall: SettleCallUseCase,
  ) {}

  @OnEvent('calls.call.started')
  async onStarted(event: DomainEvent<'calls.call.started'>): Promise<void> {
    const { call } = event.payload;
    await this.startCallClock.execute({ callId: call.id, startedAt: call.started_at! });
  }

  @OnEvent('calls.call.ended')
  async onEnded(event: DomainEvent<'calls.call.ended'>): Promise<void> {
    const { call } = event.payload;
    await this.settleCall.execute({ callId: call.id, totalCharged: call.total_charged });
  }
}
