import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule, JobsModule, SignalingTokenIssuer } from '@vidivo/platform';
import { CallAccess } from './access/call-access';
import { callsDatabase } from './calls.database';
import { CALLS_SCHEMA } from './calls.schema';
import { BillingOutcomesConsumer } from './calls/billing-outcomes.consumer';
import { CallConnectionsRepository } from './calls/call-connections.repository';
import { CallDeadlinesSweeper } from './calls/call-deadlines.sweeper';
import { CallTransitions } from './calls/call-transitions';
import { CallsHandler } from './calls/calls.handler';
import { CallsMetrics } from './calls/calls.metrics';
import { CallsRepository } from './calls/calls.repository';
import { CallsService } from './calls/calls.service';
import { FirstHolds } from './calls/first-holds';
import { LinkClaimsSweeper } from './calls/link-claims.sweeper';
import { LinkUses } from './calls/link-uses';
import { FailedJoins } from './calls/failed-joins';
import { HostProfiles } from './calls/host-profiles';
import { JoinAttemptsRepository } from './calls/join-attempts.repository';
import { JoinAttemptsSweeper } from './calls/join-attempts.sweeper';
import { PendingLinkClaimsRepository } from './calls/pending-link-claims.repository';
import { PeerPresenceConsumer } from './calls/peer-presence.consumer';
import { EndCallUseCase } from './use-cases/end-call/end-call.use-case';
import { HostJoinCallUseCase } from './use-cases/host-join-call/host-join-call.use-case';
import { JoinBookedCallUseCase } from './use-cases/join-booked-call/join-booked-call.use-case';
import { JoinCallUseCase } from './use-cases/join-call/join-call.use-case';

/** Call sessions: the lifecycle, who may do what, signaling access, who is connected, and the deadlines (no-show, length cap, abandoned). */
@Module({
  imports: [DatabaseModule.forDomain(callsDatabase), EventsModule.forDomain({ schema: CALLS_SCHEMA, consumers: [BillingOutcomesConsumer, PeerPresenceConsumer] }), JobsModule],
  controllers: [CallsHandler],
  providers: [
    CallsRepository,
    CallConnectionsRepository,
    CallTransitions,
    FirstHolds,
    PendingLinkClaimsRepository,
    JoinAttemptsRepository,
    JoinAttemptsSweeper,
    FailedJoins,
    HostProfiles,
    LinkUses,
    LinkClaimsSweeper,
    CallAccess,
    SignalingTokenIssuer,
    JoinCallUseCase,
    JoinBookedCallUseCase,
    HostJoinCallUseCase,
    EndCallUseCase,
    CallsService,
    BillingOutcomesConsumer,
    PeerPresenceConsumer,
    CallDeadlinesSweeper,
    CallsMetrics,
  ],
})
export class CallsModule {}
