export { linksApp } from './links.app';
export { newShortCode } from './links/short-code';
