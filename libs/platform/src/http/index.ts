export * from './configure-http';
export * from './shutdown-state';
