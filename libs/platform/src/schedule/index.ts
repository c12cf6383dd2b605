export * from './jobs.module';
export * from './periodic-jobs';
export * from './delete-in-batches';
