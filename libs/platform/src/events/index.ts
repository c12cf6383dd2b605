export * from './event-tables';
export * from './event-transport';
export * from './events.module';
export * from './in-process-events';
export * from './jetstream-events';
export * from './on-event.decorator';
export * from './outbox';
export * from './outbox-relay';
