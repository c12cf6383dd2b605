// In-memory stand-ins for the unit specs of the calls app: its repository, the outbox, the other
// apps over the bus and signaling access. The use cases take them through `standIn`.
export { CallsFakes, TEST_WEB_URL, aBooking, aLinkClaim, anActor, callsFakes } from './calls-fakes';
export { FakeCallAccess } from './fake-call-access';
export { InMemoryCallsRepository } from './in-memory-calls.repository';
export { InMemoryJoinAttemptsRepository } from './in-memory-join-attempts.repository';
export { InMemoryPendingLinkClaimsRepository } from './in-memory-pending-link-claims.repository';
export { RecordingOutbox } from './recording-outbox';
export { ScriptedBus } from './scripted-bus';
export { PublicPart, standIn } from './stand-in';
