import { Actor, BookingDto, LinkClaimDto, Role, toIsoSeconds } from '@vidivo/contracts';
import { loadConfig } from '@vidivo/platform';
import { ulid } from 'ulid';
import { CallTransitions } from '../calls/call-transitions';
import { FirstHolds } from '../calls/first-holds';
import { LinkUses } from '../calls/link-uses';
import { FakeCallAccess } from './fake-call-access';
import { InMemoryCallsRepository } from './in-memory-calls.repository';
import { InMemoryJoinAttemptsRepository } from './in-memory-join-attempts.repository';
import { InMemoryPendingLinkClaimsRepository } from './in-memory-pending-link-claims.repository';
import { RecordingOutbox } from './recording-outbox';
import { ScriptedBus } from './scripted-bus';
import { standIn } from './stand-in';

/** What the calls app reaches outside itself, faked, and its own state machine and billing requests, real, on top of them. */
export interface CallsFakes {
  calls: InMemoryCallsRepository;
  /** Link uses claimed for calls not recorded yet. */
  pendingClaims: InMemoryPendingLinkClaimsRepository;
  /** Joins by the client's idempotency key. */
  joinAttempts: InMemoryJoinAttemptsRepository;
  outbox: RecordingOutbox;
  /** Links, identity, scheduling and billing, as each spec scripts them. */
  bus: ScriptedBus;
  access: FakeCallAccess;
  transitions: CallTransitions;
  firstHolds: FirstHolds;
  linkUses: LinkUses;
}

export const TEST_WEB_URL = 'http://web.test';

export function callsFakes(): CallsFakes {
  const calls = new InMemoryCallsRepository();
  const outbox = new RecordingOutbox();
  const bus = new ScriptedBus();
  const pendingClaims = new InMemoryPendingLinkClaimsRepository();
  return {
    calls,
    pendingClaims,
    joinAttempts: new InMemoryJoinAttemptsRepository(calls),
    outbox,
    bus,
    access: new FakeCallAccess(),
    transitions: new CallTransitions(standIn(calls), standIn(outbox)),
    firstHolds: new FirstHolds(standIn(bus), loadConfig({ PUBLIC_WEB_URL: TEST_WEB_URL })),
    linkUses: new LinkUses(standIn(bus), standIn(calls), standIn(pendingClaims)),
  };
}

export function anActor(role: Role = 'user'): Actor {
  return { id: ulid(), role, username: null };
}

export function aLinkClaim(hostId: string, overrides: Partial<LinkClaimDto> = {}): LinkClaimDto {
  return { link_id: ulid(), short_code: 'ab3de9', host_id: hostId, rate_per_minute: '1.50', window_size_minutes: 5, ...overrides };
}

/** A confirmed 30-minute booking that started `startedMinutesAgo` minutes ago (negative: starts in the future). */
export function aBooking(host: Actor, guest: Actor, startedMinutesAgo = 0, overrides: Partial<BookingDto> = {}): BookingDto {
  return {
    id: ulid(),
    status: 'confirmed',
    host: { id: host.id, display_name: 'Hana Host' },
    guest: { id: guest.id, display_name: 'Gus Guest' },
    scheduled_at: toIsoSeconds(new Date(Date.now() - startedMinutesAgo * 60_000)),
    duration_minutes: 30,
    note: null,
    rate_per_minute: '2.00',
    window_size_minutes: 5,
    created_at: toIsoSeconds(new Date(Date.now() - 86_400_000)),
    cancelled_at: null,
    cancel_reason: null,
    ...overrides,
  };
}
