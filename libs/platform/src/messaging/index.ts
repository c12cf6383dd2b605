export * from './graceful-nats.server';
export * from './handles.decorator';
export * from './in-process.transport';
export * from './message-bus';
export * from './messaging.module';
export * from './nats-connection';
export * from './transport';
