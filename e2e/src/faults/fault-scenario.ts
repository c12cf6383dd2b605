import { Account, HttpClient, registerAccount, sleep } from '@vidivo/testing';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallTraffic, TrafficTally } from './call-traffic';
import { PlatformOutcome, checkPlatform } from './platform-checks';

/** Concurrent lifecycles during every fault (issue 13: "in the middle of 20 concurrent lifecycles"). */
export const CONCURRENT_LIFECYCLES = 20;
/** Traffic before the fault, so it strikes requests under way, and after recovery, to show traffic flows again. */
const WARM_UP_MS = 4_000;
const AFTER_RECOVERY_MS = 5_000;
/** Where each scenario's figures are gathered, for the README's reliability section. */
export const FIGURES_FILE = join(tmpdir(), 'vidivo-fault-figures.json');

/** What a fault did: when it ended (the broken piece back) and its own figures. */
export interface FaultFigures {
  /** ms of the outage, or of each crash until the app was ready again. */
  [figure: string]: number | number[] | string;
}

export interface ScenarioResult {
  tally: TrafficTally;
  outcome: PlatformOutcome;
  figures: FaultFigures;
  /** Lifecycles that finished after the fault was over: traffic flows again without help. */
  lifecyclesAfterRecovery: number;
}

export interface ScenarioPlatform {
  api: HttpClient;
  databaseUrl: string;
  stripe: { secretKey: string; apiBase: string };
}

/** A few hosts, registered before any fault (their links are made during the traffic). */
export async function registerHosts(api: HttpClient, count = 4): Promise<Account[]> {
  return Promise.all(Array.from({ length: count }, () => registerAccount(api, 'host')));
}

/**
 * Runs `fault` in the middle of {@link CONCURRENT_LIFECYCLES} concurrent call lifecycles, lets the
 * traffic run on after it, stops the traffic and checks the platform (platform-checks.ts). The
 * fault resolves once what it broke is back.
 */
export async function runFaultScenario(name: string, platform: ScenarioPlatform, hosts: Account[], fault: () => Promise<FaultFigures>): Promise<ScenarioResult> {
  const since = new Date(Date.now() - 1_000);
  const traffic = new CallTraffic(platform.api, hosts);
  const started = Date.now();
  traffic.start(CONCURRENT_LIFECYCLES);
  await sleep(WARM_UP_MS);
  const figures = await fault();
  const recoveredAt = Date.now() - started;
  await sleep(AFTER_RECOVERY_MS);
  const tally = await traffic.stop();
  const outcome = await checkPlatform(platform.databaseUrl, platform.stripe, tally, since);
  const result = { tally, outcome, figures, lifecyclesAfterRecovery: tally.finishedAt.filter((at) => at > recoveredAt).length };
  recordFigures(name, result);
  return result;
}

function recordFigures(name: string, { tally, outcome, figures, lifecyclesAfterRecovery }: ScenarioResult): void {
  const all = existsSync(FIGURES_FILE) ? (JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>) : {};
  all[name] = {
    ...figures,
    lifecycles: tally.lifecycles,
    lifecycles_after_recovery: lifecyclesAfterRecovery,
    requests: tally.requests,
    answers_503: tally.serviceUnavailable,
    connection_errors: tally.connectionErrors,
    key_in_progress_retries: tally.keyInProgress,
    other_5xx: tally.serverErrors.length,
    problems: tally.problems.length,
    calls_checked: outcome.callsChecked,
    settled_after_seconds: outcome.settledAfterSeconds,
    audit: { calls_checked: outcome.audit.calls_checked, payment_intents_checked: outcome.audit.payment_intents_checked, discrepancies: outcome.audit.discrepancies.length },
  };
  writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2));
}

/** What every scenario requires (issue 13, item 4), compared at once so a failure shows all that went wrong. */
export function expectSurvived({ tally, outcome, lifecyclesAfterRecovery }: ScenarioResult): void {
  const answered = new Set(tally.calls.map((call) => call.id));
  const distinct = (lines: string[]) => [...new Set(lines.map((line) => line.replace(/[0-9a-f-]{36}|[a-z0-9]{6}(?=[:/ ])/g, '…')))];
  expect({
    otherServerErrors: distinct(tally.serverErrors),
    problems: distinct(tally.problems),
    notEnded: outcome.notEnded,
    notSettled: outcome.notSettled,
    miscounted: outcome.miscounted,
    discrepancies: outcome.audit.discrepancies,
    // A call no join answered for, but one that failed (its join answered 503 or 402, or died, and the call was failed for
    // it; the audit checks its hold was let go): a retry ran a join twice (one guest attempt, two calls and two holds).
    callsNoJoinAnsweredFor: outcome.calls.filter((call) => !answered.has(call.id) && call.status !== 'failed'),
  }).toEqual({ otherServerErrors: [], problems: [], notEnded: [], notSettled: [], miscounted: [], discrepancies: [], callsNoJoinAnsweredFor: [] });
  expect(tally.lifecycles).toBeGreaterThanOrEqual(CONCURRENT_LIFECYCLES);
  expect(lifecyclesAfterRecovery).toBeGreaterThan(0);
  expect(outcome.audit.payment_intents_checked).toBeGreaterThanOrEqual(tally.calls.length);
}

/** Polls a readiness URL until it answers `status`; answers how long that took (ms). */
export async function readinessBecomes(url: string, status: number, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then(async (response) => {
        await response.body?.cancel();
        return response.status;
      })
      .catch(() => 0);
    if (answered === status) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs / 1000} s`);
}
