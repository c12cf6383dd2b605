export * from './calls.app';
/** Read by the money audit (tools/src/money-audit). */
export { CALLS_TABLES } from './calls.schema';
/** The no-show sweep, driven directly by the replica race test. */
export { CallDeadlinesSweeper } from './calls/call-deadlines.sweeper';
/** The link-claim recovery, driven directly by its crash test. */
export { LinkClaimsSweeper } from './calls/link-claims.sweeper';
/** Forgets old join attempts, driven directly by the join-retry test. */
export { JoinAttemptsSweeper } from './calls/join-attempts.sweeper';
export { LinkUses } from './calls/link-uses';
export { CallsRepository } from './calls/calls.repository';
