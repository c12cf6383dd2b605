export * from './jobs.module';
export * from './periodic-jobs';
