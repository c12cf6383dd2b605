import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { dataSourceToken } from '../database';
import { ShutdownState } from '../http/shutdown-state';
import { MessageBus } from '../messaging';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** The schemas (TypeORM connections) this process owns. */
  databases: string[];
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `live`: the process answers. `ready`: its Postgres connections and its message transport work,
 * and it is not shutting down (503 otherwise).
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly bus: MessageBus,
    private readonly moduleRef: ModuleRef,
    private readonly shutdown: ShutdownState,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) response: Response) {
    if (this.shutdown.shuttingDown) {
      const down = { shutdown: { status: 'down', message: 'shutting down' } };
      response.status(503);
      return { status: 'error', info: {}, error: down, details: down };
    }
    try {
      return await this.readinessChecks();
    } catch (error) {
      // Terminus reports a failed check as a 503 whose body lists what is down: pass it on as is.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }

  private readinessChecks() {
    return this.health.check([
      ...this.options.databases.map(
        (schema) => () =>
          this.database.pingCheck(`postgres:${schema}`, {
            connection: this.moduleRef.get<DataSource>(dataSourceToken(schema), { strict: false }),
            timeout: CHECK_TIMEOUT_MS,
          }),
      ),
      () => this.transportCheck(),
    ]);
  }

  private async transportCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('transport');
    try {
      const connected = await Promise.race([this.bus.isConnected(), new Promise<boolean>((resolve) => setTimeout(resolve, CHECK_TIMEOUT_MS, false).unref())]);
      return connected ? indicator.up() : indicator.down({ message: 'not connected' });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
