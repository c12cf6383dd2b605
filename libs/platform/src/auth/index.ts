export * from './access-token.guard';
export * from './access-token.verifier';
export * from './auth.decorators';
export * from './auth.module';
export * from './signaling-token';
export * from './token-keys';
