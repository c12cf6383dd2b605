export * from './links.dto';
export * from './links.messages';
export * from './link-claim';
