export { identityApp } from './identity.app';
