export * from './calls.app';
/** The no-show sweep, driven directly by the replica race test. */
export { CallDeadlinesSweeper } from './calls/call-deadlines.sweeper';
