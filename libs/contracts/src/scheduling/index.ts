export * from './scheduling.dto';
export * from './scheduling.messages';
