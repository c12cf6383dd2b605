export * from './fake-identity.client';
export * from './in-memory-availability.repository';
export * from './in-memory-bookings.repository';
export * from './recording-outbox';
export * from './refusal';
export * from './scheduling.fixtures';
