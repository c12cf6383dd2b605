export * from './nats-kv-presence';
export * from './presence';
export * from './presence.module';
