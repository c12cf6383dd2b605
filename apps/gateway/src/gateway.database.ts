import { DomainDatabase } from '@vidivo/platform';
import { GATEWAY_SCHEMA } from './gateway.schema';
import { CreateIdempotencyKeys1764100000000 } from './migrations/1764100000000-create-idempotency-keys';

/** Raw SQL only (the idempotency claim is one INSERT … ON CONFLICT), so no entities. */
export const gatewayDatabase: DomainDatabase = {
  schema: GATEWAY_SCHEMA,
  entities: [],
  migrations: [CreateIdempotencyKeys1764100000000],
};
