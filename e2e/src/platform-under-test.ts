import { NodeProcess, createTestDatabase, freePort, newWebhookSecret, spawnNode, testEnvironment, testJwtKeys, waitForHttp, webhookUrl } from '@vidivo/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

const DIST = resolve(__dirname, '../../dist/apps');
export const PUBLIC_WEB_URL = 'https://vidivo.test';

/** The running platform as a client sees it: one base URL. */
export interface PlatformUnderTest {
  baseUrl: string;
  /** Each process's /health/ready, by app name. */
  healthUrls: Record<string, string>;
  processes: NodeProcess[];
  stop(): Promise<void>;
}

const script = (app: string) => join(DIST, app, 'src/main.js');

/** A fresh DATA_DIR (world-traversable, as Postgres run as the postgres user needs). */
export function newDataDir(): { path: string; remove(): void } {
  const path = join(tmpdir(), `vidivo-e2e-${randomBytes(4).toString('hex')}`);
  mkdirSync(path, { mode: 0o755 });
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * `npm start` as a user runs it: one process, its own embedded Postgres under DATA_DIR.
 * `extraEnv` may depend on the process's own address (`http://localhost:<port>`), e.g. to make it
 * its own PUBLIC_WEB_URL for the web pages.
 */
export async function startStandalone(dataDir: string, extraEnv: Record<string, string> | ((ownUrl: string) => Record<string, string>) = {}): Promise<StandalonePlatform> {
  const port = await freePort();
  const emulatorPort = await freePort();
  if (typeof extraEnv === 'function') extraEnv = extraEnv(`http://localhost:${port}`);
  const standalone = spawnNode('standalone', script('standalone'), {
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    // Its own emulator port, so a standalone started elsewhere on the machine does not collide with it.
    STRIPE_EMULATOR_PORT: String(emulatorPort),
    PUBLIC_WEB_URL,
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
    ...extraEnv,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/health/ready`, [standalone]);
  return {
    baseUrl,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    healthUrls: { standalone: `${baseUrl}/health/ready` },
    processes: [standalone],
    stop: async () => void (await standalone.stop()),
  };
}

/** The standalone process, with the base URL of its bundled Stripe emulator (control API under /_emulator/). */
export interface StandalonePlatform extends PlatformUnderTest {
  emulatorUrl: string;
}

export type DistributedApp = 'identity' | 'links' | 'calls' | 'billing' | 'scheduling' | 'gateway';

/** The distributed platform, with control over its processes and the Stripe emulator. */
export interface DistributedPlatform extends PlatformUnderTest {
  /** The stripe-emulator process's base URL (billing's STRIPE_API_BASE); its control API is under /_emulator/. */
  emulatorUrl: string;
  /** Billing's STRIPE_WEBHOOK_SECRET, made for this run: the emulator signs the webhooks it sends the gateway with it. */
  webhookSecret: string;
  /** The test database's connection URL, for tests that need to look at or adjust rows. */
  databaseUrl: string;
  /** Each signaling replica's base URL (`http://127.0.0.1:<port>`), in start order; their health is `signaling-1`, `signaling-2`… */
  signalingUrls: string[];
  /** Stops one app's process (SIGTERM by default; SIGKILL to simulate a crash). */
  stopApp(app: DistributedApp, signal?: NodeJS.Signals): Promise<void>;
  /** Starts one app's process again, on the same port and settings, and waits until it is ready. */
  startApp(app: DistributedApp): Promise<void>;
  /** stopApp then startApp. */
  restart(app: DistributedApp, signal?: NodeJS.Signals): Promise<void>;
}

export interface DistributedOptions {
  /** calls' CALL_NO_SHOW_SECONDS (default: the app's own, 300). */
  callNoShowSeconds?: number;
  /** How many signaling processes to start, each on its own port (default 0: the HTTP suites do not need them). */
  signalingReplicas?: number;
  /** calls' CALL_MAX_MINUTES (default: the app's own, 240). */
  callMaxMinutes?: number;
  /**
   * calls' CALL_ABANDON_SECONDS (default: the app's own); 0 turns the rule off, for tests that move
   * call clocks in SQL without signaling peers, which would otherwise count as gone since the start.
   */
  callAbandonSeconds?: number;
  /**
   * The web pages in a browser: PUBLIC_WEB_URL is the gateway's own `http://localhost:<port>` (a
   * secure context) and SIGNALING_PUBLIC_URL the first signaling replica's, a host of its own as
   * in production (needs `signalingReplicas`).
   */
  webClient?: boolean;
}

/** Every app as its own process on the machine's real NATS and Postgres, as in production. */
export async function startDistributed(options: DistributedOptions = {}): Promise<DistributedPlatform> {
  const database = await createTestDatabase('e2e_distributed');
  const keys = testJwtKeys();
  const emulatorPort = await freePort();
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const webhookSecret = newWebhookSecret();
  const ports: Record<DistributedApp, number> = {
    identity: await freePort(),
    links: await freePort(),
    calls: await freePort(),
    billing: await freePort(),
    scheduling: await freePort(),
    gateway: await freePort(),
  };
  const baseUrl = `http://127.0.0.1:${ports.gateway}`;
  const signalingPorts: number[] = [];
  for (let i = 0; i < (options.signalingReplicas ?? 0); i++) signalingPorts.push(await freePort());
  if (options.webClient && !signalingPorts.length) throw new Error('webClient needs signalingReplicas');
  const publicWebUrl = options.webClient ? `http://localhost:${ports.gateway}` : PUBLIC_WEB_URL;
  const signalingPublicUrl: Record<string, string> = options.webClient ? { SIGNALING_PUBLIC_URL: `ws://localhost:${signalingPorts[0]}/signal/ws` } : {};
  const shared = { DATABASE_URL: database.url, NATS_URL: testEnvironment.natsUrl, PUBLIC_WEB_URL: publicWebUrl, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' };
  const env: Record<DistributedApp, Record<string, string>> = {
    identity: { JWT_PRIVATE_KEY: keys.privateKey },
    links: {},
    calls: {
      JWT_PRIVATE_KEY: keys.privateKey,
      TURN_SECRET: 'e2e-turn-secret-0123456789',
      ...signalingPublicUrl,
      ...(options.callNoShowSeconds !== undefined ? { CALL_NO_SHOW_SECONDS: String(options.callNoShowSeconds) } : {}),
      ...(options.callMaxMinutes !== undefined ? { CALL_MAX_MINUTES: String(options.callMaxMinutes) } : {}),
      ...(options.callAbandonSeconds !== undefined ? { CALL_ABANDON_SECONDS: String(options.callAbandonSeconds) } : {}),
    },
    billing: { STRIPE_SECRET_KEY: 'sk_test_e2e', STRIPE_API_BASE: emulatorUrl, STRIPE_WEBHOOK_SECRET: webhookSecret },
    scheduling: {},
    gateway: { JWT_PUBLIC_KEY: keys.publicKey, ...signalingPublicUrl },
  };
  const apps = Object.keys(ports) as DistributedApp[];
  const healthUrls: Record<string, string> = Object.fromEntries(apps.map((app) => [app, `http://127.0.0.1:${ports[app]}/health/ready`]));
  const signalingUrls = signalingPorts.map((port) => `http://127.0.0.1:${port}`);
  signalingUrls.forEach((url, i) => (healthUrls[`signaling-${i + 1}`] = `${url}/health/ready`));
  /** The live processes; restarted apps replace their entry in place. */
  const processes: NodeProcess[] = [];
  const current = new Map<DistributedApp, NodeProcess>();
  const spawnApp = (app: DistributedApp) => {
    const child = spawnNode(app, script(app), { ...shared, PORT: String(ports[app]), ...env[app] });
    const previous = current.get(app);
    if (previous) processes.splice(processes.indexOf(previous), 1, child);
    else processes.push(child);
    current.set(app, child);
    return child;
  };
  const stopAll = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database.drop();
  };

  try {
    // Webhooks go to the gateway as in production (deliveries before it listens are retried).
    processes.push(
      spawnNode('stripe-emulator', script('stripe-emulator'), {
        STRIPE_EMULATOR_PORT: String(emulatorPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        STRIPE_EMULATOR_WEBHOOK_URL: webhookUrl(baseUrl),
        STRIPE_WEBHOOK_SECRET: webhookSecret,
      }),
    );
    await waitForHttp(`${emulatorUrl}/_emulator/payment_intents`, processes);
    for (const app of apps) spawnApp(app);
    // Signaling needs no database: only the public key for tokens and NATS (ping fast, as tests wait on it).
    signalingPorts.forEach((port, i) =>
      processes.push(
        spawnNode(`signaling-${i + 1}`, script('signaling'), {
          NATS_URL: testEnvironment.natsUrl,
          PUBLIC_WEB_URL: publicWebUrl,
          LOG_LEVEL: 'warn',
          JWT_PUBLIC_KEY: keys.publicKey,
          SIGNALING_PING_SECONDS: '1',
          PORT: String(port),
        }),
      ),
    );
    for (const url of Object.values(healthUrls)) await waitForHttp(url, processes);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const stopApp = async (app: DistributedApp, signal: NodeJS.Signals = 'SIGTERM') => {
    await current.get(app)?.stop(signal);
  };
  const startApp = async (app: DistributedApp) => {
    const running = current.get(app);
    if (running && running.child.exitCode === null && running.child.signalCode === null) throw new Error(`${app} is still running`);
    const child = spawnApp(app);
    await waitForHttp(healthUrls[app], [child]);
  };
  return {
    baseUrl,
    healthUrls,
    processes,
    emulatorUrl,
    webhookSecret,
    databaseUrl: database.url,
    signalingUrls,
    stopApp,
    startApp,
    restart: async (app, signal) => {
      await stopApp(app, signal);
      await startApp(app);
    },
    stop: stopAll,
  };
}

/** `npm run start:cluster` as a user runs it: one launcher process, every app its own child process. */
export interface ClusterPlatform extends PlatformUnderTest {
  /** The launcher; `processes` holds only it. */
  launcher: NodeProcess;
  dataDir: string;
  /** Each child as the launcher announced it (`<name> started (pid <pid>) on <url>`), by name. */
  announced: Record<string, { pid: number; listensOn: string }>;
  /** The pids of the launcher's child processes right now, as the system lists them. */
  childPids(): number[];
}

const ANNOUNCED_CHILD = /^cluster\s+\| (\S+) started \(pid (\d+)\) on (\S+)$/gm;

/** Polls a process's output until it matches, or fails with the output to show why not. */
export async function waitForOutput(process: NodeProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = process.output().match(pattern);
    if (match) return match;
    if (process.child.exitCode !== null || process.child.signalCode !== null)
      throw new Error(`${process.name} exited with ${process.child.exitCode ?? process.child.signalCode}:\n${process.output()}`);
    if (Date.now() > deadline) throw new Error(`${process.name} never printed ${pattern}:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pids whose parent is `pid` (none once it has no children). */
export function childPidsOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return []; // ps exits 1 when nothing matches
  }
}

/** Where a cluster runs, when not on the machine's NATS and a fresh test database. */
export interface ClusterOptions {
  /** A database of the caller's (not dropped at stop); default: a fresh test database on the machine's Postgres. */
  databaseUrl?: string;
  /** default: the machine's NATS */
  natsUrl?: string;
  /** More of the launcher's environment (every app gets it). */
  env?: Record<string, string>;
}

/** The built cluster launcher on the machine's NATS and a fresh database (or those of `options`), with a fresh DATA_DIR for its secrets. */
export async function startCluster(options: ClusterOptions = {}): Promise<ClusterPlatform> {
  const database = options.databaseUrl === undefined ? await createTestDatabase('e2e_cluster') : { url: options.databaseUrl, drop: async () => undefined };
  const dataDir = newDataDir();
  const port = await freePort();
  const launcher = spawnNode('cluster', script('cluster'), {
    DATABASE_URL: database.url,
    NATS_URL: options.natsUrl ?? testEnvironment.natsUrl,
    PORT: String(port),
    STRIPE_EMULATOR_PORT: String(await freePort()),
    DATA_DIR: dataDir.path,
    PUBLIC_WEB_URL,
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await launcher.stop('SIGTERM', 60_000);
    await database.drop();
    dataDir.remove();
  };
  try {
    await waitForHttp(`${baseUrl}/health/ready`, [launcher], 120_000);
    await waitForOutput(launcher, /cluster ready: gateway on /, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const announced: ClusterPlatform['announced'] = {};
  const healthUrls: Record<string, string> = {};
  for (const [, name, pid, listensOn] of launcher.output().matchAll(ANNOUNCED_CHILD)) {
    announced[name] = { pid: Number(pid), listensOn };
    const url = new URL(listensOn);
    if (name !== 'stripe-emulator') healthUrls[name] = `http://127.0.0.1:${url.port}/health/ready`;
  }
  return {
    baseUrl,
    healthUrls,
    processes: [launcher],
    launcher,
    dataDir: dataDir.path,
    announced,
    childPids: () => childPidsOf(launcher.child.pid!),
    stop,
  };
}
