import { ThrottlerStorage } from '@nestjs/throttler';
import { RateCountersRepository, counterKey } from './rate-counters.repository';

/** What the throttler expects back (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's counters in Postgres instead of process memory, so every gateway replica
 * counts against one limit (decision 35). A fixed window per key, as the throttler's own storage
 * keeps: the hit that goes over the limit blocks the key for `blockDuration` at least.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: RateCountersRepository) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [hit] = await this.counters.hit([counterKey('rate-limit', throttlerName, key)], { windowSeconds: ttl / 1000, limit, blockSeconds: blockDuration / 1000 });
    const isBlocked = hit.hits > limit;
    return { totalHits: hit.hits, timeToExpire: hit.secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? hit.secondsLeft : 0 };
  }
}
