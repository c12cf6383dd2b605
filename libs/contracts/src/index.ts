export * from './actor';
export * from './errors';
export * from './identity';
export * from './links';
export * from './message-fields';
export * from './messages';
export * from './validators';
