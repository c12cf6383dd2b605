import { Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's one registry. Standalone mode runs every app in one process, so metrics are
 * defined once, at module level, and a second definition of a name returns the first.
 */
export const metricsRegistry = new Registry();

let processMetricsCollected = false;

/** Node's process metrics (CPU, memory, event loop lag, GC), started with the first app. */
export function collectProcessMetrics(): void {
  if (processMetricsCollected) return;
  processMetricsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

type Config<C> = Omit<C, 'registers'>;

function once<M>(name: string, create: () => M): M {
  return (metricsRegistry.getSingleMetric(name) as M | undefined) ?? create();
}

export function defineCounter<T extends string = string>(config: Config<CounterConfiguration<T>>): Counter<T> {
  return once(config.name, () => new Counter<T>({ ...config, registers: [metricsRegistry] }));
}

export function defineGauge<T extends string = string>(config: Config<GaugeConfiguration<T>>): Gauge<T> {
  return once(config.name, () => new Gauge<T>({ ...config, registers: [metricsRegistry] }));
}

export function defineHistogram<T extends string = string>(config: Config<HistogramConfiguration<T>>): Histogram<T> {
  return once(config.name, () => new Histogram<T>({ ...config, registers: [metricsRegistry] }));
}

/** Seconds since `startedAt` (a `performance.now()` reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
