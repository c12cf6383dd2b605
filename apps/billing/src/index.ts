export * from './billing.app';
