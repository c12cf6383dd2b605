/** The domain apps: each on a free port, where only its /health is of interest. */
export const DOMAIN_APPS = ['identity', 'links', 'calls', 'billing', 'scheduling'] as const;
export type DomainApp = (typeof DOMAIN_APPS)[number];

/** How many signaling processes run, so that the two peers of a call may sit on different ones. */
export const SIGNALING_REPLICAS = 2;

/** One child process: which built app it runs, under what name, with what environment. */
export interface ChildSpec {
  /** Its name in the log prefix: the app's, or `signaling-1`, `signaling-2` for the replicas. */
  name: string;
  /** The built app it runs: dist/apps/<app>/src/main.js. */
  app: string;
  env: Record<string, string>;
  /** Polled until it answers 200. */
  readyUrl: string;
  /** Where it listens, for the log. */
  listensOn: string;
}

export interface ClusterPorts {
  gateway: number;
  signaling: number[];
  domain: Record<DomainApp, number>;
  /** Each process's METRICS_PORT, by its name (`gateway`, `identity`, `signaling-1`…): /metrics is not on the public port (decision 36). */
  metrics: Record<string, number>;
}

/** The processes that serve /metrics, in the order they take METRICS_PORT, METRICS_PORT+1… */
export function metricsServingProcesses(): string[] {
  return ['gateway', ...DOMAIN_APPS, ...Array.from({ length: SIGNALING_REPLICAS }, (_, i) => `signaling-${i + 1}`)];
}

export interface ClusterSettings {
  /** The launcher's own environment: every child starts from it. */
  baseEnv: Record<string, string | undefined>;
  ports: ClusterPorts;
  /** How the launcher reaches its children: HOST, or loopback when they listen on every interface. */
  localHost: string;
  jwt: { privateKey: string; publicKey: string };
  turnSecret: string;
  signalingPublicUrl: string;
  /**
   * billing's Stripe; `emulatorPort` when the launcher runs the bundled emulator for it, which then
   * sends its webhooks to the gateway signed with `webhookSecret`.
   */
  stripe: { secretKey: string; apiBase?: string; emulatorPort?: number; webhookSecret?: string };
}

/**
 * Secrets reach only the apps that use them, as in docker/compose.yml (ADMIN_EMAIL goes with
 * ADMIN_PASSWORD: an app refuses one without the other). Everything else in the launcher's
 * environment reaches every app.
 */
const SECRET_HOLDERS: Record<string, readonly string[]> = {
  JWT_PRIVATE_KEY: ['identity', 'calls'],
  TURN_SECRET: ['calls'],
  STRIPE_SECRET_KEY: ['billing'],
  STRIPE_WEBHOOK_SECRET: ['billing', 'stripe-emulator'],
  ADMIN_EMAIL: ['identity'],
  ADMIN_PASSWORD: ['identity'],
};

/** The emulator's own listing: it answers 200 once it listens (it has no /health). */
const EMULATOR_READY_PATH = '/_emulator/payment_intents';

/** Every process of the cluster, in start order, with the environment each one gets. */
export function planCluster(settings: ClusterSettings): ChildSpec[] {
  const { ports, localHost, jwt, stripe } = settings;
  const base = environmentFor(settings.baseEnv);
  const child = (name: string, app: string, port: number, extra: Record<string, string>, listensOn: string): ChildSpec => ({
    name,
    app,
    env: { ...withoutSecrets(base, app), JWT_PUBLIC_KEY: jwt.publicKey, ...extra, PORT: String(port), METRICS_PORT: String(ports.metrics[name]) },
    readyUrl: `http://${localHost}:${port}/health/ready`,
    listensOn,
  });
  const extras: Record<DomainApp, Record<string, string>> = {
    identity: { JWT_PRIVATE_KEY: jwt.privateKey },
    links: {},
    calls: { JWT_PRIVATE_KEY: jwt.privateKey, TURN_SECRET: settings.turnSecret, SIGNALING_PUBLIC_URL: settings.signalingPublicUrl },
    billing: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      ...(stripe.apiBase ? { STRIPE_API_BASE: stripe.apiBase } : {}),
      ...(stripe.webhookSecret ? { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret } : {}),
    },
    scheduling: {},
  };

  const specs: ChildSpec[] = [];
  if (stripe.emulatorPort !== undefined) {
    const url = `http://127.0.0.1:${stripe.emulatorPort}`;
    specs.push({
      name: 'stripe-emulator',
      app: 'stripe-emulator',
      env: {
        ...withoutSecrets(base, 'stripe-emulator'),
        STRIPE_EMULATOR_PORT: String(stripe.emulatorPort),
        HOST: '127.0.0.1',
        ...(stripe.webhookSecret ? { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_EMULATOR_WEBHOOK_URL: `http://${localHost}:${ports.gateway}/v1/webhooks/stripe` } : {}),
      },
      readyUrl: `${url}${EMULATOR_READY_PATH}`,
      listensOn: url,
    });
  }
  for (const app of DOMAIN_APPS) {
    specs.push(child(app, app, ports.domain[app], extras[app], `http://localhost:${ports.domain[app]}/health`));
  }
  ports.signaling.forEach((port, i) => specs.push(child(`signaling-${i + 1}`, 'signaling', port, {}, `ws://localhost:${port}/signal/ws`)));
  // The gateway serves the web pages, which connect to signaling (their CSP and /v1/web/config name it).
  specs.push(child('gateway', 'gateway', ports.gateway, { SIGNALING_PUBLIC_URL: settings.signalingPublicUrl }, `http://localhost:${ports.gateway}`));
  return specs;
}

function environmentFor(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function withoutSecrets(env: Record<string, string>, app: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_HOLDERS[name] || SECRET_HOLDERS[name].includes(app)));
}
