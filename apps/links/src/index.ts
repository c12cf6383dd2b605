export { linksApp } from './links.app';
