import { Module } from '@nestjs/common';
import { MetricsServer } from './metrics.server';
import { collectProcessMetrics } from './metrics.registry';

/**
 * `/metrics` in Prometheus text, on the MetricsServer's own port: process metrics, HTTP requests
 * (see http.metrics, recorded by observeHttpRequests), the bus (see bus.metrics), and whatever the
 * composed apps define with defineCounter/defineGauge/defineHistogram.
 */
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule {
  constructor() {
    collectProcessMetrics();
  }
}
