export * from './bus.metrics';
export * from './http-metrics.middleware';
export * from './logger.factory';
export * from './logging.module';
export * from './message-handling.interceptor';
export * from './metrics.module';
export * from './metrics.registry';
export * from './request-context';
