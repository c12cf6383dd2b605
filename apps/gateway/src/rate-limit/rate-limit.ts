import { Module, UseGuards } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { JobsModule } from '@vidivo/platform';
import { GatewaySettings, gatewaySettings } from '../gateway.settings';
import { DeclinedPaymentsLimiter } from './declined-payments.limiter';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { RateCountersRepository } from './rate-counters.repository';
import { RateCountersSweeper } from './rate-counters.sweeper';

/** The counters' SQL, for the throttler's storage and the declined-payment limits alike. */
@Module({ providers: [RateCountersRepository], exports: [RateCountersRepository] })
class RateCountersModule {}

/**
 * The gateway's abuse limits (decision 35), counted in Postgres so they hold across replicas:
 * RATE_LIMIT_PER_MINUTE requests per client address and minute on the public routes that create
 * accounts, sessions or calls (0 turns it off), and DECLINED_PAYMENTS_PER_HOUR declined payments.
 */
@Module({
  imports: [
    RateCountersModule,
    JobsModule,
    ThrottlerModule.forRootAsync({
      imports: [RateCountersModule],
      inject: [gatewaySettings.token, RateCountersRepository],
      useFactory: (settings: GatewaySettings, counters: RateCountersRepository) => ({
        throttlers: [{ ttl: 60_000, limit: Math.max(1, settings.RATE_LIMIT_PER_MINUTE) }],
        skipIf: () => settings.RATE_LIMIT_PER_MINUTE === 0,
        storage: new PostgresThrottlerStorage(counters),
      }),
    }),
  ],
  providers: [RateCountersSweeper, DeclinedPaymentsLimiter],
  // What @LimitDeclinedPayments' interceptor needs where the controllers are.
  exports: [DeclinedPaymentsLimiter],
})
export class RateLimitModule {}

/** Marks a route as rate limited; over the limit it answers 429 `rate_limited` with `Retry-After`. */
export const RateLimited = () => UseGuards(ThrottlerGuard);

export { LimitDeclinedPayments } from './declined-payments.interceptor';
