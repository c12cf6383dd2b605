import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule, JobsModule, SignalingTokenIssuer } from '@vidivo/platform';
import { CallAccess } from './access/call-access';
import { callsDatabase } from './calls.database';
import { CALLS_SCHEMA } from './calls.schema';
import { BillingOutcomesConsumer } from './calls/billing-outcomes.consumer';
import { BookedCallsService } from './calls/booked-calls.service';
import { CallTransitions } from './calls/call-transitions';
import { CallsHandler } from './calls/calls.handler';
import { CallsMetrics } from './calls/calls.metrics';
import { FirstHolds } from './calls/first-holds';
import { CallConnections } from './calls/call-connections';
import { PeerPresenceConsumer } from './calls/peer-presence.consumer';
import { CallsService } from './calls/calls.service';
import { CallDeadlinesSweeper } from './calls/call-deadlines.sweeper';

/** Call sessions: the lifecycle, who may do what, signaling access, who is connected, and the deadlines (no-show, length cap, abandoned). */
@Module({
  imports: [DatabaseModule.forDomain(callsDatabase), EventsModule.forDomain({ schema: CALLS_SCHEMA, consumers: [BillingOutcomesConsumer, PeerPresenceConsumer] }), JobsModule],
  controllers: [CallsHandler],
  providers: [
    CallsService,
    BookedCallsService,
    FirstHolds,
    CallTransitions,
    CallConnections,
    CallAccess,
    SignalingTokenIssuer,
    BillingOutcomesConsumer,
    PeerPresenceConsumer,
    CallDeadlinesSweeper,
    CallsMetrics,
  ],
})
export class CallsModule {}
