import { HttpClient, sleep } from '@vidivo/testing';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterPlatform, newDataDir, startCluster } from '../platform-under-test';
import { FaultPostgres } from './fault-postgres';
import { NatsServer } from './nats-servers';
import { ScenarioPlatform } from './fault-scenario';

/** The emulator's key: the launcher runs the bundled emulator when no STRIPE_SECRET_KEY is set. */
const EMULATOR_SECRET_KEY = 'sk_test_vidivo_emulator';

/**
 * `npm run start:cluster` (the launcher and one process per app, restarted with backoff when one
 * crashes) on infrastructure of the suite's own: its Postgres and its nats-server process(es), so
 * the scenarios can kill them without disturbing anything else on the machine.
 */
/**
 * The suite's 20 guests share one address, so the declined-card limit is off. A use claimed for a
 * call never recorded comes back after 10 s instead of 60, and the call of a join that never
 * answered fails after 20 s instead of 120 (decision 32), so the suite sees everything settle within its wait.
 */
const FAULT_SUITE_ENV = { DECLINED_PAYMENTS_PER_HOUR: '0', CALL_LINK_CLAIM_GRACE_SECONDS: '10' };

export interface ClusterUnderFaults extends ScenarioPlatform {
  cluster: ClusterPlatform;
  postgres: FaultPostgres;
  nats: NatsServer[];
  /** The pid of an app's process now (the launcher's last "started"/"restarted" line for it). */
  pidOf(name: string): number;
  stop(): Promise<void>;
}

export async function startClusterUnderFaults(options: {
  natsServers: 1 | 3;
  env?: Record<string, string>;
  beforeCluster?: (nats: NatsServer[]) => Promise<void>;
}): Promise<ClusterUnderFaults> {
  const dataDir = newDataDir();
  const postgres = await FaultPostgres.start(dataDir.path);
  let nats: NatsServer[] = [];
  let cluster: ClusterPlatform | undefined;
  const stop = async () => {
    // The apps' own lines, for a failed scenario's diagnosis (the error ids of a 500 are there).
    if (cluster) writeFileSync(join(tmpdir(), `vidivo-faults-${options.natsServers}-nats-cluster.log`), cluster.launcher.output());
    await cluster?.stop();
    await Promise.all(nats.map((server) => server.kill('SIGTERM')));
    await postgres.stop();
    dataDir.remove();
  };
  try {
    nats = options.natsServers === 1 ? [await NatsServer.single(dataDir.path)] : await NatsServer.cluster(dataDir.path, 3);
    await options.beforeCluster?.(nats);
    // Twenty guests on one loopback address are not card testing: the per-address limit of declined
    // payments (decision 35) is off, as the request rate limit is (startCluster).
    cluster = await startCluster({ databaseUrl: postgres.url, natsUrl: nats[0].url, env: { ...FAULT_SUITE_ENV, ...options.env } });
  } catch (error) {
    await stop();
    throw error;
  }
  const started = cluster;
  return {
    cluster: started,
    postgres,
    nats,
    api: new HttpClient(started.baseUrl),
    databaseUrl: postgres.url,
    stripe: { secretKey: EMULATOR_SECRET_KEY, apiBase: started.announced['stripe-emulator'].listensOn },
    pidOf: (name) => {
      const lines = [...started.launcher.output().matchAll(new RegExp(`^cluster\\s+\\| ${name} (?:re)?started \\(pid (\\d+)\\)`, 'gm'))];
      if (!lines.length) throw new Error(`the launcher never started ${name}`);
      return Number(lines[lines.length - 1][1]);
    },
    stop,
  };
}

/** Waits until the launcher logged `pattern` more times than `before` (e.g. a restart). */
export async function launcherLogs(cluster: ClusterPlatform, pattern: RegExp, before: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ([...cluster.launcher.output().matchAll(pattern)].length <= before) {
    if (Date.now() > deadline) throw new Error(`the launcher never logged ${pattern}:\n${cluster.launcher.output().slice(-5_000)}`);
    await sleep(100);
  }
}
