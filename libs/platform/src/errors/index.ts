export * from './app-error';
export * from './error-envelope.filter';
export * from './hostile-input';
export * from './validation.pipe';
