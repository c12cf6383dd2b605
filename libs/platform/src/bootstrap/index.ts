export * from './bind-interceptor';
export * from './compose-apps';
export * from './create-app';
export * from './run-app';
