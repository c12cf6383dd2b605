import { NodeProcess, freePort, spawnNode, waitForHttp } from '@vidivo/testing';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServerUnderTest } from './usage/server-usage';

export interface BenchServer {
  process: NodeProcess;
  /** The Stripe emulator in a process of its own, unless it runs inside standalone (bundled). */
  stripeEmulator?: NodeProcess;
  port: number;
  baseUrl: string;
  /** Its /metrics, on METRICS_PORT. */
  metricsUrl: string;
  /** The embedded Postgres, for the benchmark's own look at the rows (seeding, waiting for the outboxes to drain). */
  postgresUrl: string;
  /** Stops standalone, then the emulator. */
  stop(): Promise<void>;
}

export interface StandaloneOptions {
  /**
   * `process` (the default): the Stripe emulator runs as its own process, as Stripe is elsewhere in
   * production, so the server's CPU figure is ours alone and the emulator's is measured apart.
   * `bundled`: inside standalone, as `npm start` runs it.
   */
  stripe?: 'process' | 'bundled';
}

/** A fresh DATA_DIR. Open to others so that, run as root, the `postgres` user keeps its cluster inside it and it goes with the folder. */
export function benchDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'vidivo-bench-'));
  chmodSync(dataDir, 0o755);
  return dataDir;
}

/** What the benchmark measures of a standalone it started: its process, its Postgres cluster, its counter, the emulator apart. */
export function underTest(server: BenchServer): ServerUnderTest {
  return { pid: server.process.child.pid!, stripePid: server.stripeEmulator?.child.pid, metricsUrl: server.metricsUrl, postgresUrl: server.postgresUrl };
}

/** The password standalone gives its embedded Postgres (DATA_DIR/secrets/postgres-password), chosen here for a new DATA_DIR. */
function postgresPassword(dataDir: string): string {
  const file = join(dataDir, 'secrets', 'postgres-password');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const password = randomBytes(18).toString('base64url');
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/**
 * The built standalone app as `npm start` runs it, set up for load: no rate limit, quiet logs,
 * /metrics on a port of its own. Its embedded Postgres gets a password chosen here (standalone
 * keeps it in DATA_DIR/secrets), so the benchmark can reach the database too.
 */
export async function startStandalone(dataDir: string, env: Record<string, string> = {}, options: StandaloneOptions = {}): Promise<BenchServer> {
  const [port, metricsPort, postgresPort, emulatorPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  let stripeEmulator: NodeProcess | undefined;
  let stripeEnv: Record<string, string> = { STRIPE_EMULATOR_PORT: String(emulatorPort) };
  if (options.stripe !== 'bundled') {
    const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    stripeEmulator = spawnNode('stripe-emulator', resolve(__dirname, '../../apps/stripe-emulator/src/main.js'), {
      STRIPE_EMULATOR_PORT: String(emulatorPort),
      STRIPE_EMULATOR_WEBHOOK_URL: `${baseUrl}/v1/webhooks/stripe`,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: 'warn',
    });
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    await waitForHttp(`${emulatorUrl}/_emulator/payment_intents`, [stripeEmulator]);
    stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_vidivo_emulator', STRIPE_API_BASE: emulatorUrl, STRIPE_WEBHOOK_SECRET: webhookSecret };
  }
  const password = postgresPassword(dataDir);
  const child = spawnNode('standalone', resolve(__dirname, '../../apps/standalone/src/main.js'), {
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    ...stripeEnv,
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    await waitForHttp(`${baseUrl}/health/ready`, [child, ...(stripeEmulator ? [stripeEmulator] : [])]);
  } catch (error) {
    await child.stop();
    await stripeEmulator?.stop();
    throw error;
  }
  return {
    process: child,
    stripeEmulator,
    port,
    baseUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    postgresUrl: `postgres://postgres:${password}@127.0.0.1:${postgresPort}/vidivo`,
    async stop() {
      await child.stop();
      await stripeEmulator?.stop();
    },
  };
}
