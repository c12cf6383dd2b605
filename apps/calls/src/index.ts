export * from './calls.app';
