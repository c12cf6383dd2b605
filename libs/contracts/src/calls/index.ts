export * from './calls.dto';
export * from './calls.messages';
