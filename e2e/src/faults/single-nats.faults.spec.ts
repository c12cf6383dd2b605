import { Account, sleep } from '@vidivo/testing';
import { ClusterUnderFaults, launcherLogs, startClusterUnderFaults } from './cluster-under-faults';
import { expectSurvived, readinessBecomes, registerHosts, runFaultScenario } from './fault-scenario';

/** How long NATS and Postgres stay down. */
const OUTAGE_MS = 6_000;
/** The apps whose crash the issue names, killed one at a time. */
const CRASHED_APPS = ['calls', 'billing', 'links', 'gateway'];

/**
 * Faults survived (issue 13, decision 34): the cluster launcher and every app as its own process,
 * on a Postgres and a nats-server of this suite's own, under 20 concurrent call lifecycles (link,
 * join with a test card, host-join, end) retried as a client should (call-traffic.ts). After each
 * fault: no 500, every call ended and settled, every link's use_count right, the money audit clean.
 */
describe('faults survived: one NATS server, Postgres, app crashes (cluster mode, real processes)', () => {
  let platform: ClusterUnderFaults;
  let hosts: Account[];
  const readiness = () => Object.values(platform.cluster.healthUrls);

  beforeAll(async () => {
    platform = await startClusterUnderFaults({ natsServers: 1 });
    hosts = await registerHosts(platform.api);
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 120_000);

  it('NATS restarted mid-traffic: 503s with Retry-After meanwhile, apps reconnect by themselves, no event lost, no call stuck', async () => {
    const result = await runFaultScenario('nats_restarted', platform, hosts, async () => {
      const [nats] = platform.nats;
      await nats.kill('SIGKILL');
      const down = Date.now();
      await sleep(OUTAGE_MS);
      await nats.start();
      const outage = Date.now() - down;
      const reconnected = Math.max(...(await Promise.all(readiness().map((url) => readinessBecomes(url, 200)))));
      return { outage_ms: outage, apps_ready_after_ms: reconnected };
    });
    expectSurvived(result);
    expect(result.tally.serviceUnavailable).toBeGreaterThan(0);
  }, 300_000);

  it('Postgres restarted mid-traffic: readiness goes 503 and back to 200, requests fail cleanly meanwhile and succeed after', async () => {
    const result = await runFaultScenario('postgres_restarted', platform, hosts, async () => {
      const gatewayReady = platform.cluster.healthUrls.gateway;
      await platform.postgres.stop();
      const down = Date.now();
      const notReadyAfter = await readinessBecomes(platform.cluster.healthUrls.calls, 503, 30_000);
      await readinessBecomes(gatewayReady, 503, 30_000);
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
      await platform.postgres.start();
      const outage = Date.now() - down;
      const ready = Math.max(...(await Promise.all(readiness().map((url) => readinessBecomes(url, 200)))));
      return { outage_ms: outage, readiness_503_after_ms: notReadyAfter, apps_ready_after_ms: ready };
    });
    expectSurvived(result);
  }, 300_000);

  it('kill -9 of calls, billing, links and the gateway, one at a time: the launcher restarts each, every call ends right, use_count right, money right', async () => {
    const result = await runFaultScenario('apps_killed', platform, hosts, async () => {
      const recoveries: number[] = [];
      for (const app of CRASHED_APPS) {
        const restarts = new RegExp(`^cluster\\s+\\| ${app} restarted \\(pid`, 'gm');
        const before = [...platform.cluster.launcher.output().matchAll(restarts)].length;
        const pid = platform.pidOf(app);
        const killed = Date.now();
        process.kill(pid, 'SIGKILL');
        await launcherLogs(platform.cluster, restarts, before);
        expect(platform.pidOf(app)).not.toBe(pid);
        await readinessBecomes(platform.cluster.healthUrls[app], 200);
        recoveries.push(Date.now() - killed);
        await sleep(3_000); // traffic on the restarted app before the next crash
      }
      return { apps: CRASHED_APPS.join(','), ready_again_after_ms: recoveries };
    });
    expectSurvived(result);
    expect(platform.cluster.launcher.output()).toMatch(/calls was killed by SIGKILL: restarting it in 0\.5 s/);
    expect(platform.cluster.launcher.output()).not.toMatch(/stopping the cluster/);
  }, 400_000);
});
