export * from './signaling.app';
