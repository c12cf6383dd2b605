export * from './scheduling.app';
