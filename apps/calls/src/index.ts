export * from './calls.app';
/** The no-show sweep, driven directly by the replica race test. */
export { CallsService } from './calls/calls.service';
