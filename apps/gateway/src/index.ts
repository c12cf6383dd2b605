export { gatewayApp } from './gateway.app';
export { requestFingerprint } from './idempotency/idempotency-key';
export { IdempotencyKeysSweeper } from './idempotency/idempotency-keys.sweeper';
export { OPENAPI_JSON_PATH } from './openapi/openapi.document';
export { RateCountersSweeper } from './rate-limit/rate-counters.sweeper';
