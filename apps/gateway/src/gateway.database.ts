import { DomainDatabase } from '@vidivo/platform';
import { GATEWAY_SCHEMA } from './gateway.schema';
import { CreateIdempotencyKeys1764100000000 } from './migrations/1764100000000-create-idempotency-keys';
import { CreateRateCounters1764200000000 } from './migrations/1764200000000-create-rate-counters';

/** Raw SQL only (an idempotency claim and a counter's hit are each one INSERT … ON CONFLICT), so no entities. */
export const gatewayDatabase: DomainDatabase = {
  schema: GATEWAY_SCHEMA,
  entities: [],
  migrations: [CreateIdempotencyKeys1764100000000, CreateRateCounters1764200000000],
};
