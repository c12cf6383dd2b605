import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';

const pem = (kind: 'private' | 'public') =>
  z
    .string()
    .transform((text) => text.replace(/\\n/g, '\n').trim())
    .refine(
      (text) => {
        try {
          // A private key would pass createPublicKey too (it derives one): ask for the kind exactly.
          const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
          const isPrivatePem = /PRIVATE KEY-----/.test(text);
          return key.asymmetricKeyType === 'rsa' && isPrivatePem === (kind === 'private');
        } catch {
          return false;
        }
      },
      { message: `must be a PEM-encoded RSA ${kind} key` },
    );

const port = z.coerce.number().int().min(1).max(65_535);
const positiveInt = z.coerce.number().int().min(1);
const url = (protocols: string[]) =>
  z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL (${protocols.join(' or ')})`,
  );
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankAsUndefined, schema.optional());

/** Every environment variable the platform understands (decision 22), with its default. */
const environment = z.object({
  PORT: z.preprocess(blankAsUndefined, port.default(3000)),
  HOST: z.preprocess(blankAsUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  NATS_URL: z.preprocess(blankAsUndefined, url(['nats:', 'tls:', 'ws:', 'wss:']).default('nats://127.0.0.1:4222')),
  PUBLIC_WEB_URL: z.preprocess(blankAsUndefined, url(['http:', 'https:']).default('http://localhost:3000')),
  JWT_PRIVATE_KEY: optional(pem('private')),
  JWT_PUBLIC_KEY: optional(pem('public')),
  ACCESS_TOKEN_TTL_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(900)),
  REFRESH_TOKEN_TTL_DAYS: z.preprocess(blankAsUndefined, positiveInt.default(30)),
  ADMIN_EMAIL: optional(z.string().email()),
  ADMIN_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  TURN_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  TURN_URLS: z.preprocess(blankAsUndefined, z.string().default('turn:localhost:3478')),
  SIGNALING_PUBLIC_URL: optional(url(['ws:', 'wss:'])),
  SIGNALING_PING_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(25)),
  SIGNAL_RESUME_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(20)),
  HOLD_TOPUP_LEAD_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(60)),
  CALL_NO_SHOW_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(300)),
  CALL_MAX_MINUTES: z.preprocess(blankAsUndefined, positiveInt.max(7 * 24 * 60).default(240)),
  CALL_ABANDON_SECONDS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).default(90)),
  CORS_ORIGINS: optional(z.string()),
  TRUST_PROXY: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^(true|false|\d{1,2}|[0-9a-f.:/, ]+)$/i, 'must be true, false, a hop count or addresses')
      .default('false'),
  ),
  RATE_LIMIT_PER_MINUTE: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).default(60)),
  STRIPE_SECRET_KEY: optional(z.string().startsWith('sk_', 'must start with sk_')),
  STRIPE_API_BASE: optional(url(['http:', 'https:'])),
  /** Real Stripe's publishable key: the web client's card step then uses Stripe.js (decision 30). */
  STRIPE_PUBLISHABLE_KEY: optional(z.string().startsWith('pk_', 'must start with pk_')),
  STRIPE_WEBHOOK_SECRET: optional(z.string().startsWith('whsec_', 'must start with whsec_')),
  STRIPE_TIMEOUT_MS: z.preprocess(blankAsUndefined, positiveInt.default(20_000)),
  STRIPE_EMULATOR_PORT: z.preprocess(blankAsUndefined, port.default(12111)),
  /** Where the emulator, run as its own process, sends its webhooks (signed with STRIPE_WEBHOOK_SECRET). */
  STRIPE_EMULATOR_WEBHOOK_URL: optional(url(['http:', 'https:'])),
  DATA_DIR: z.preprocess(blankAsUndefined, z.string().default('./.data')),
  EMBEDDED_POSTGRES_PORT: z.preprocess(blankAsUndefined, port.default(54329)),
  LOG_LEVEL: z.preprocess(blankAsUndefined, z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log')),
  SHUTDOWN_TIMEOUT_SECONDS: z.preprocess(blankAsUndefined, positiveInt.default(20)),
  /** Periodic jobs this process does not run: `all`, or job names, comma separated (see PeriodicJobs). */
  JOBS_DISABLED: optional(z.string().regex(/^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/, 'must be all or job names, comma separated')),
});

export type Environment = z.infer<typeof environment>;

/** Raised at start-up; its message names the offending variable(s). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The validated configuration, injected by class. The only place that reads the environment is
 * {@link loadConfig}; everything else receives this object.
 */
export class AppConfig {
  private signingKey?: KeyObject;
  private verificationKey?: KeyObject;

  constructor(readonly env: Readonly<Environment>) {}

  get port(): number {
    return this.env.PORT;
  }

  get databaseUrl(): string {
    return this.need('DATABASE_URL');
  }

  get natsUrl(): string {
    return this.env.NATS_URL;
  }

  get publicWebUrl(): string {
    return this.env.PUBLIC_WEB_URL.replace(/\/+$/, '');
  }

  /** Where peers open the signaling WebSocket; by default beside the REST API (standalone mode). */
  get signalingUrl(): string {
    if (this.env.SIGNALING_PUBLIC_URL) return this.env.SIGNALING_PUBLIC_URL;
    const web = new URL(this.publicWebUrl);
    web.protocol = web.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${web.origin}/signal/ws`;
  }

  /** Browser origins allowed to call the API: CORS_ORIGINS (comma separated), else the web app's own. */
  get corsOrigins(): string[] {
    const listed = this.env.CORS_ORIGINS?.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    return listed?.length ? listed : [new URL(this.publicWebUrl).origin];
  }

  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address (rate limits). */
  get trustProxy(): boolean | number | string {
    const value = this.env.TRUST_PROXY.trim();
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  get turnUrls(): string[] {
    return this.env.TURN_URLS.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  }

  get jwtPrivateKey(): string {
    return this.need('JWT_PRIVATE_KEY');
  }

  get jwtPublicKey(): string {
    return this.need('JWT_PUBLIC_KEY');
  }

  /** The keys parsed once: parsing a PEM costs more than the RS256 operation it is used for. */
  get jwtSigningKey(): KeyObject {
    this.signingKey ??= createPrivateKey(this.jwtPrivateKey);
    return this.signingKey;
  }

  get jwtVerificationKey(): KeyObject {
    this.verificationKey ??= createPublicKey(this.jwtPublicKey);
    return this.verificationKey;
  }

  /** Fails start-up, naming the variable, when an app needs a setting that has no default. */
  need<K extends keyof Environment>(name: K): NonNullable<Environment[K]> {
    const value = this.env[name];
    if (value === undefined || value === null) throw new ConfigError(`Invalid configuration: ${name} is required`);
    return value;
  }

  /** A copy with some settings replaced; standalone mode fills in what it provides itself. */
  with(overrides: Partial<Environment>): AppConfig {
    return new AppConfig({ ...this.env, ...overrides });
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = environment.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  return new AppConfig(env);
}
