export * from './configure-http';
export * from './shutdown-state';
export * from './free-port';
export * from './request-body.middleware';
