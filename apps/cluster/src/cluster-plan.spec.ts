import { ClusterSettings, metricsServingProcesses, planCluster } from './cluster-plan';

const settings = (overrides: Partial<ClusterSettings> = {}): ClusterSettings => ({
  baseEnv: { DATABASE_URL: 'postgres://db/vidivo', NATS_URL: 'nats://nats:4222', LOG_LEVEL: 'warn', PORT: '3000', UNSET: undefined },
  ports: {
    gateway: 3000,
    signaling: [3001, 3002],
    domain: { identity: 4001, links: 4002, calls: 4003, billing: 4004, scheduling: 4005 },
    metrics: { gateway: 9464, identity: 9465, links: 9466, calls: 9467, billing: 9468, scheduling: 9469, 'signaling-1': 9470, 'signaling-2': 9471 },
  },
  localHost: '127.0.0.1',
  jwt: { privateKey: 'PRIVATE', publicKey: 'PUBLIC' },
  turnSecret: 'turn-secret-0123456789',
  signalingPublicUrl: 'ws://localhost:3001/signal/ws',
  stripe: { secretKey: 'sk_test_vidivo_emulator', apiBase: 'http://127.0.0.1:12111', emulatorPort: 12111, webhookSecret: 'whsec_test' },
  ...overrides,
});

const byName = (plan: ReturnType<typeof planCluster>) => Object.fromEntries(plan.map((spec) => [spec.name, spec]));

describe('planCluster', () => {
  it('runs the emulator, every domain app, two signaling replicas and the gateway, each on its own port', () => {
    const plan = planCluster(settings());
    expect(plan.map((spec) => spec.name)).toEqual(['stripe-emulator', 'identity', 'links', 'calls', 'billing', 'scheduling', 'signaling-1', 'signaling-2', 'gateway']);
    expect(plan.map((spec) => spec.app)).toEqual(['stripe-emulator', 'identity', 'links', 'calls', 'billing', 'scheduling', 'signaling', 'signaling', 'gateway']);
    const apps = byName(plan);
    expect(apps.gateway.env.PORT).toBe('3000');
    expect(apps['signaling-2'].env.PORT).toBe('3002');
    expect(apps.links.env.PORT).toBe('4002');
    expect(apps.links.readyUrl).toBe('http://127.0.0.1:4002/health/ready');
    expect(apps['stripe-emulator'].env).toMatchObject({ STRIPE_EMULATOR_PORT: '12111', HOST: '127.0.0.1' });
    expect(apps['stripe-emulator'].readyUrl).toBe('http://127.0.0.1:12111/_emulator/payment_intents');
  });

  it('gives every process that serves /metrics a METRICS_PORT of its own, whatever the launcher was given', () => {
    const plan = planCluster(settings({ baseEnv: { METRICS_PORT: '9999' } }));
    const metricsPorts = Object.fromEntries(plan.filter((spec) => spec.app !== 'stripe-emulator').map((spec) => [spec.name, spec.env.METRICS_PORT]));
    expect(Object.keys(metricsPorts).sort()).toEqual(metricsServingProcesses().sort());
    expect(metricsPorts).toEqual(Object.fromEntries(Object.entries(settings().ports.metrics).map(([name, port]) => [name, String(port)])));
  });

  it("gives every app the launcher's environment, and each secret only to the apps that use it", () => {
    const apps = byName(planCluster(settings({ baseEnv: { NATS_URL: 'nats://n:4222', ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'long enough', TURN_SECRET: 'x'.repeat(20) } })));
    for (const spec of Object.values(apps).filter((spec) => spec.app !== 'stripe-emulator')) {
      expect(spec.env).toMatchObject({ NATS_URL: 'nats://n:4222', JWT_PUBLIC_KEY: 'PUBLIC' });
    }
    const holders = (name: string) => Object.keys(apps).filter((app) => name in apps[app].env);
    expect(holders('JWT_PRIVATE_KEY')).toEqual(['identity', 'calls']);
    expect(holders('TURN_SECRET')).toEqual(['calls']);
    expect(holders('STRIPE_SECRET_KEY')).toEqual(['billing']);
    expect(holders('ADMIN_EMAIL')).toEqual(['identity']);
    expect(holders('ADMIN_PASSWORD')).toEqual(['identity']);
    expect(apps.calls.env).toMatchObject({ TURN_SECRET: 'turn-secret-0123456789', SIGNALING_PUBLIC_URL: 'ws://localhost:3001/signal/ws' });
    expect(apps.billing.env).toMatchObject({ STRIPE_SECRET_KEY: 'sk_test_vidivo_emulator', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
  });

  it("sends the emulator's webhooks to the gateway, signed with the secret billing checks them with", () => {
    const apps = byName(planCluster(settings()));
    expect(apps['stripe-emulator'].env).toMatchObject({ STRIPE_WEBHOOK_SECRET: 'whsec_test', STRIPE_EMULATOR_WEBHOOK_URL: 'http://127.0.0.1:3000/v1/webhooks/stripe' });
    expect(apps.billing.env.STRIPE_WEBHOOK_SECRET).toBe('whsec_test');
    const holders = Object.keys(apps).filter((app) => 'STRIPE_WEBHOOK_SECRET' in apps[app].env);
    expect(holders).toEqual(['stripe-emulator', 'billing']);
  });

  it('runs no emulator when there is a Stripe key, and keeps its API base as given', () => {
    const apps = byName(planCluster(settings({ stripe: { secretKey: 'sk_live_real' } })));
    expect(apps['stripe-emulator']).toBeUndefined();
    expect(apps.billing.env.STRIPE_SECRET_KEY).toBe('sk_live_real');
    expect(apps.billing.env.STRIPE_API_BASE).toBeUndefined();
  });
});
