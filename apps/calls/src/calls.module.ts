import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule, SignalingTokenIssuer } from '@vidivo/platform';
import { CallAccess } from './access/call-access';
import { callsDatabase } from './calls.database';
import { CALLS_SCHEMA } from './calls.schema';
import { BillingOutcomesConsumer } from './calls/billing-outcomes.consumer';
import { BookedCallsService } from './calls/booked-calls.service';
import { CallTransitions } from './calls/call-transitions';
import { CallsHandler } from './calls/calls.handler';
import { CallsMetrics } from './calls/calls.metrics';
import { FirstHolds } from './calls/first-holds';
import { CallsService } from './calls/calls.service';
import { CallDeadlinesSweeper } from './calls/call-deadlines.sweeper';

/** Call sessions: the lifecycle, who may do what, signaling access, and the no-show sweep. */
@Module({
  imports: [DatabaseModule.forDomain(callsDatabase), EventsModule.forDomain({ schema: CALLS_SCHEMA, consumers: [BillingOutcomesConsumer] })],
  controllers: [CallsHandler],
  providers: [CallsService, BookedCallsService, FirstHolds, CallTransitions, CallAccess, SignalingTokenIssuer, BillingOutcomesConsumer, CallDeadlinesSweeper, CallsMetrics],
})
export class CallsModule {}
