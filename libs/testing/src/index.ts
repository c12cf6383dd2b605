export * from './eventually';
export * from './http-client';
export * from './in-process-app';
export * from './processes';
export * from './test-database';
export * from './test-environment';
export * from './test-keys';
export * from './stripe-webhooks';
