export * from './app-error';
export * from './error-envelope.filter';
export * from './validation.pipe';
