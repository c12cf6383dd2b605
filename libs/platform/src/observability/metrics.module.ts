import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { collectProcessMetrics } from './metrics.registry';

/**
 * `/metrics` in Prometheus text: process metrics, HTTP requests, the bus (see bus.metrics), and
 * whatever the composed apps define with defineCounter/defineGauge/defineHistogram.
 */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements NestModule {
  constructor() {
    collectProcessMetrics();
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
