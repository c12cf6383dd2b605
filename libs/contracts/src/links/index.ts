export * from './links.dto';
export * from './links.messages';
