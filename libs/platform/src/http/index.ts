export * from './configure-http';
export * from './shutdown-state';
export * from './free-port';
export * from './precomputed-headers';
export * from './request-body.middleware';
