export * from './billing.messages';
