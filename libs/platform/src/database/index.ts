export * from './database.module';
export * from './migrate';
export * from './app-pool';
export * from './database-unavailable';
export * from './query-counter';
