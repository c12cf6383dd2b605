import { DomainDatabase } from '@vidivo/platform';
import { CALLS_SCHEMA } from './calls.schema';
import { CallEntity } from './calls/call.entity';
import { CreateCalls1764100000000 } from './migrations/1764100000000-create-calls';
import { BookedCalls1764100400000 } from './migrations/1764100400000-booked-calls';
import { CallLengthCap1764100600000 } from './migrations/1764100600000-call-length-cap';
import { CallPresence1764100700000 } from './migrations/1764100700000-call-presence';
import { HostDeclined1764100800000 } from './migrations/1764100800000-host-declined';
import { PendingLinkClaims1764100900000 } from './migrations/1764100900000-pending-link-claims';
import { JoinAttempts1764101000000 } from './migrations/1764101000000-join-attempts';

export const callsDatabase: DomainDatabase = {
  schema: CALLS_SCHEMA,
  entities: [CallEntity],
  migrations: [
    CreateCalls1764100000000,
    BookedCalls1764100400000,
    CallLengthCap1764100600000,
    CallPresence1764100700000,
    HostDeclined1764100800000,
    PendingLinkClaims1764100900000,
    JoinAttempts1764101000000,
  ],
};
