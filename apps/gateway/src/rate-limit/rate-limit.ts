import { UseGuards } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { GatewaySettings, gatewaySettings } from '../gateway.settings';

/**
 * RATE_LIMIT_PER_MINUTE requests per client address and minute on the public endpoints that
 * create accounts, sessions or calls (decision 22); 0 turns it off. Counted per gateway process:
 * with N replicas behind a balancer a client gets at most N times the limit.
 */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  inject: [gatewaySettings.token],
  useFactory: (settings: GatewaySettings) => ({
    throttlers: [{ ttl: 60_000, limit: Math.max(1, settings.RATE_LIMIT_PER_MINUTE) }],
    skipIf: () => settings.RATE_LIMIT_PER_MINUTE === 0,
  }),
});

/** Marks a route as rate limited; over the limit it answers 429 `rate_limited`. */
export const RateLimited = () => UseGuards(ThrottlerGuard);
