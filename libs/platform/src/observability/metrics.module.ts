import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsServer } from './metrics.server';
import { collectProcessMetrics } from './metrics.registry';

/**
 * `/metrics` in Prometheus text, on the MetricsServer's own port: process metrics, HTTP requests,
 * the bus (see bus.metrics), and whatever the composed apps define with defineCounter/defineGauge/defineHistogram.
 */
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule implements NestModule {
  constructor() {
    collectProcessMetrics();
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
