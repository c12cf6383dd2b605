import { AppConfig, ConfigError, isPortFree, loadConfig, readOrCreateJwtKeys, readOrCreateSecret } from '@vidivo/platform';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ClusterLog } from './cluster-log';
import { clusterSettings } from './cluster.settings';
import { ClusterSettings, DOMAIN_APPS, SIGNALING_REPLICAS, planCluster } from './cluster-plan';
import { choosePorts } from './ports';
import { Supervisor } from './supervisor';

/** Every app is built next to this one: dist/apps/<app>/src/main.js. */
const DIST_APPS = resolve(__dirname, '../..');
/** First boot migrates every schema; nine Node processes share the machine's cores meanwhile. */
const READY_TIMEOUT_MS = 120_000;
/** Each app bounds its own shutdown (SHUTDOWN_TIMEOUT_SECONDS, 20 s unless set); the launcher waits this much longer before SIGKILL. */
const STOP_MARGIN_SECONDS = 5;

const NAMES = ['stripe-emulator', ...DOMAIN_APPS, ...Array.from({ length: SIGNALING_REPLICAS }, (_, i) => `signaling-${i + 1}`), 'gateway'];

/** Raised for a setting the launcher cannot work with; printed without a stack. */
class LaunchError extends Error {}

/** How long the launcher waits for an app to stop after passing on the signal. */
function stopGraceMs(config: AppConfig): number {
  return (config.shutdownTimeoutSeconds + STOP_MARGIN_SECONDS) * 1000;
}

/** Where a local process reaches an app that listens on `host`. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * What the environment leaves out, made locally as standalone makes it: the JWT keys and the TURN
 * secret kept in DATA_DIR/secrets, the ports, and the Stripe emulator when there is no real key.
 */
async function settle(config: AppConfig, log: ClusterLog): Promise<ClusterSettings> {
  const env = config.settingsOf(clusterSettings);
  if (!config.givenDatabaseUrl) {
    throw new ConfigError('Invalid configuration: DATABASE_URL is required (the Postgres every app keeps its schema in, e.g. postgres://postgres@127.0.0.1:5432/vidivo)');
  }
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const givenKeys = config.givenJwtKeys;
  const jwt = givenKeys ?? readOrCreateJwtKeys(dataDir);
  if (!givenKeys) log.info(`using the signing keys kept in ${dataDir}/secrets`);
  const turnSecret = env.TURN_SECRET ?? readOrCreateSecret(dataDir, 'turn-secret', () => randomBytes(32).toString('base64url'));
  if (!env.TURN_SECRET) log.info(`using the TURN secret kept in ${dataDir}/secrets`);

  const localHost = loopbackFor(config.host);
  if (!(await isPortFree(config.port, config.host))) throw new LaunchError(`PORT ${config.port} is already in use (the gateway listens there)`);
  const emulatorPort = env.STRIPE_SECRET_KEY ? undefined : env.STRIPE_EMULATOR_PORT;
  if (emulatorPort !== undefined && !(await isPortFree(emulatorPort, '127.0.0.1'))) {
    throw new LaunchError(`STRIPE_EMULATOR_PORT ${emulatorPort} is already in use (is a standalone or another emulator running?)`);
  }
  const ports = await choosePorts(config.port, config.host, emulatorPort === undefined ? [] : [emulatorPort]);
  const stripe =
    emulatorPort === undefined
      ? { secretKey: env.STRIPE_SECRET_KEY!, apiBase: env.STRIPE_API_BASE }
      : {
          secretKey: 'sk_test_vidivo_emulator',
          apiBase: `http://127.0.0.1:${emulatorPort}`,
          emulatorPort,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? readOrCreateSecret(dataDir, 'stripe-webhook-secret', () => `whsec_${randomBytes(24).toString('base64url')}`),
        };
  if (emulatorPort !== undefined) {
    log.info(`STRIPE_SECRET_KEY is not set: billing pays through the bundled Stripe emulator at ${stripe.apiBase} (STRIPE_SECRET_KEY=${stripe.secretKey})`);
  }

  return {
    // DATA_DIR as resolved, also for the emulator, which keeps its Stripe objects there across restarts.
    baseEnv: { ...process.env, DATA_DIR: dataDir },
    ports,
    localHost,
    jwt,
    turnSecret,
    signalingPublicUrl: config.givenSignalingUrl ?? `ws://localhost:${ports.signaling[0]}/signal/ws`,
    stripe,
  };
}

/**
 * `npm run start:cluster`: every app as its own process on the NATS and Postgres of NATS_URL and
 * DATABASE_URL (required), each with the launcher's environment plus its own PORT, as in
 * production. The gateway listens on PORT, signaling replica n on PORT+n (a free port when that
 * one is taken), the domain apps on free ports (only their /health matters), the Stripe emulator
 * on STRIPE_EMULATOR_PORT when there is no STRIPE_SECRET_KEY. Ready when every app's readiness
 * answers 200. SIGTERM/SIGINT go on to every app once; each gets its SHUTDOWN_TIMEOUT_SECONDS and
 * 5 s more before SIGKILL, and the launcher exits 0 when all stopped cleanly. An app that exits by
 * itself before the cluster is ready stops the others, and the launcher exits 1; once it is ready,
 * a crashed app is restarted with a backoff (0.5 s doubling to 30 s, as Kubernetes would, decision 34).
 */
async function main(): Promise<void> {
  const log = new ClusterLog(NAMES);
  let settings: ClusterSettings;
  let graceMs: number;
  try {
    const config = loadConfig(process.env, [clusterSettings]);
    graceMs = stopGraceMs(config);
    settings = await settle(config, log);
  } catch (error) {
    const expected = error instanceof ConfigError || error instanceof LaunchError;
    log.error(expected ? (error as Error).message : ((error as Error).stack ?? String(error)));
    process.exit(1);
  }
  const specs = planCluster(settings);

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string, signal: NodeJS.Signals, failed: boolean) => {
    stopping ??= (async () => {
      if (failed) log.error(reason);
      else log.info(reason);
      const clean = await supervisor.stop(signal, graceMs);
      const ok = clean && !failed;
      if (ok) log.info('every app stopped');
      else log.error('stopped, with failures (see above)');
      process.exit(ok ? 0 : 1);
    })();
  };
  const supervisor = new Supervisor(DIST_APPS, log, (name, how) => shutdown(`${name} ${how}: stopping the cluster`, 'SIGTERM', true));

  const missing = specs.map((spec) => supervisor.scriptOf(spec.app)).filter((script) => !existsSync(script));
  if (missing.length) {
    log.error(`not built: ${missing.map((script) => relative(process.cwd(), script)).join(', ')} (npm run start:cluster builds them)`);
    process.exit(1);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => shutdown(`${signal}: stopping every app`, signal, false));
  process.on('exit', () => supervisor.killAll());

  supervisor.start(specs);
  try {
    if (!(await supervisor.waitUntilReady(READY_TIMEOUT_MS))) return;
    supervisor.restartCrashedApps();
  } catch (error) {
    shutdown(`${(error as Error).message}: stopping the cluster`, 'SIGTERM', true);
    return;
  }

  const signaling = specs.filter((spec) => spec.app === 'signaling').map((spec) => spec.listensOn);
  log.info(`signaling replicas on ${signaling.join(' and ')}; join answers send peers to ${settings.signalingPublicUrl} (SIGNALING_PUBLIC_URL)`);
  log.info(`cluster ready: gateway on http://localhost:${settings.ports.gateway}`);
}

void main();
