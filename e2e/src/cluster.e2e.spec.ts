import { HttpClient, spawnNode, registerAccount } from '@vidivo/testing';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeAuthContract } from './contract/auth.contract';
import { describeCallsContract } from './contract/calls.contract';
import { describeEdgeContract } from './contract/edge.contract';
import { describeLinksContract } from './contract/links.contract';
import { ClusterPlatform, startCluster } from './platform-under-test';

const LAUNCHER = resolve(__dirname, '../../dist/apps/cluster/src/main.js');
const CHILDREN = ['stripe-emulator', 'identity', 'links', 'calls', 'billing', 'scheduling', 'signaling-1', 'signaling-2', 'gateway'];

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm run start:cluster`: one launcher process starting every app as its own child, on the machine's NATS and Postgres. */
describe('cluster mode (npm run start:cluster)', () => {
  let platform: ClusterPlatform;
  let api: HttpClient;

  beforeAll(async () => {
    platform = await startCluster();
    api = new HttpClient(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describeEdgeContract(() => api);
  describeAuthContract(() => api);
  describeLinksContract(() => api);
  describeCallsContract(() => api);

  it('runs every app as its own child process, each reporting its own Postgres schema and NATS as ready', async () => {
    expect(Object.keys(platform.announced)).toEqual(CHILDREN);
    expect(platform.childPids().sort()).toEqual(
      Object.values(platform.announced)
        .map((child) => child.pid)
        .sort(),
    );
    const details = async (app: string) => Object.keys((await fetch(platform.healthUrls[app]).then((r) => r.json() as Promise<{ details: object }>)).details).sort();
    for (const app of ['identity', 'links', 'calls', 'billing', 'scheduling', 'gateway']) {
      expect(await details(app)).toEqual([`postgres:${app}`, 'transport']);
    }
    expect(await details('signaling-1')).toEqual(['transport']);
    expect(await details('signaling-2')).toEqual(['transport']);
  });

  it('makes the JWT keys and the TURN secret once in DATA_DIR/secrets, and runs the Stripe emulator for billing', () => {
    expect(existsSync(join(platform.dataDir, 'secrets/jwt-private.pem'))).toBe(true);
    expect(existsSync(join(platform.dataDir, 'secrets/turn-secret'))).toBe(true);
    expect(platform.launcher.output()).toMatch(/STRIPE_SECRET_KEY is not set: billing pays through the bundled Stripe emulator at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('sends peers to the first signaling replica in join answers', async () => {
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: host.token });
    const join = await api.post(`/v1/calls/join/${link.body.short_code}`, { payment_method_id: 'pm_card_visa', guest_name: 'Grace', guest_email: 'grace@example.com' });
    expect(join.status).toBe(201);
    expect(join.body.signaling_url).toBe(platform.announced['signaling-1'].listensOn);
  });

  it('refuses to start without DATABASE_URL, naming it', async () => {
    const launcher = spawnNode('cluster-without-database', LAUNCHER, { LOG_LEVEL: 'warn' });
    const exitCode = await new Promise((resolve) => launcher.child.once('exit', resolve));
    expect(exitCode).toBe(1);
    expect(launcher.output()).toContain('DATABASE_URL is required');
  });

  // Last: it stops the cluster the other tests use.
  it('stops every app on SIGTERM and exits 0, leaving no child running', async () => {
    const pids = platform.childPids();
    expect(pids).toHaveLength(CHILDREN.length);
    expect(await platform.launcher.stop('SIGTERM', 60_000)).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(platform.launcher.output()).toMatch(/every app stopped/);
  });
});
