export * from './configure-http';
