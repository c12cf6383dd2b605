import { Module, RequestMethod } from '@nestjs/common';
import { DatabaseModule, EdgeAuthModule, JobsModule, bindInterceptor, routesOf } from '@vidivo/platform';
import { AuthController } from './auth/auth.controller';
import { CallsController } from './calls/calls.controller';
import { gatewayDatabase } from './gateway.database';
import { IdempotencyKeysRepository } from './idempotency/idempotency-keys.repository';
import { IdempotencyKeysSweeper } from './idempotency/idempotency-keys.sweeper';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { LinksController } from './links/links.controller';
import { RateLimitModule } from './rate-limit/rate-limit';
import { ScheduleController } from './schedule/schedule.controller';
import { UsersController } from './users/users.controller';
import { WebClientModule } from './web/web-client.module';
import { WebConfigController } from './web/web-config.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

const CONTROLLERS = [AuthController, UsersController, LinksController, CallsController, ScheduleController, WebhooksController, WebConfigController];
// Idempotency keys (decision 5) on every POST route of the edge, a new one included by being declared here; no interceptor on the other routes.
bindInterceptor(CONTROLLERS, routesOf(RequestMethod.POST), IdempotencyInterceptor);

/** The HTTP edge: validates and authenticates, then asks the domain apps over the bus, and serves the web client's pages. Its only data: idempotency keys and rate counters. */
@Module({
  imports: [EdgeAuthModule, DatabaseModule.forDomain(gatewayDatabase), JobsModule, RateLimitModule, WebClientModule.forRoot()],
  controllers: CONTROLLERS,
  providers: [IdempotencyKeysRepository, IdempotencyKeysSweeper],
})
export class GatewayModule {}
