export * from './auth.dto';
export * from './identity.messages';
export * from './users.dto';
