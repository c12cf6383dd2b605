import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { AppSettings, ConfigError, Environment, SettingsOf, defineSettings, parseSettings, setting, settingsProblems } from './settings';

const { optional, withDefault, port, positiveInt, url, pem, pems } = setting;

/** Prometheus's port for /metrics when METRICS_PORT is not given (the OpenTelemetry exporter's). */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * What every app's platform modules read (decision 22), with its default: listening, Postgres,
 * NATS, HTTP (CORS, proxies, the pages' Content Security Policy), tokens, logs, shutdown and jobs.
 * Each app declares the rest in its own `<app>.settings.ts`; standalone's and cluster's own in theirs.
 */
export const platformSettings = defineSettings('platform', {
  PORT: withDefault(port(), 3000),
  HOST: withDefault(z.string(), '0.0.0.0'),
  /** Where /metrics is served, apart from the public API (decision 36); DEFAULT_METRICS_PORT when not given. */
  METRICS_PORT: optional(port()),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  /** How long a query waits for a free connection of its app's pool before it fails with a 503 (decision 32). */
  DATABASE_ACQUIRE_TIMEOUT_MS: withDefault(positiveInt(), 5_000),
  NATS_URL: withDefault(url(['nats:', 'tls:', 'ws:', 'wss:']), 'nats://127.0.0.1:4222'),
  /** How many servers of a JetStream cluster keep the event stream: 3 in production (decision 34). */
  EVENTS_STREAM_REPLICAS: withDefault(
    positiveInt().refine((replicas) => replicas <= 5, 'must be 1 to 5'),
    1,
  ),
  PUBLIC_WEB_URL: withDefault(url(['http:', 'https:']), 'http://localhost:3000'),
  /** Signs access tokens (identity) and signaling tokens (calls, through the platform's SignalingTokenIssuer). */
  JWT_PRIVATE_KEY: optional(pem('private')),
  JWT_PUBLIC_KEY: optional(pem('public')),
  /** Keys that signed before JWT_PUBLIC_KEY's: still accepted by `kid` and listed in the JWKS, so a rotation logs nobody out (decision 36). */
  JWT_PREVIOUS_PUBLIC_KEYS: optional(pems('public')),
  /** Where peers open the signaling WebSocket: join answers, the host console, and the pages' `connect-src`. */
  SIGNALING_PUBLIC_URL: optional(url(['ws:', 'wss:'])),
  /** Real Stripe's publishable key: the web client's card step then uses Stripe.js (decision 30); the pages' CSP lets it in. */
  STRIPE_PUBLISHABLE_KEY: optional(z.string().startsWith('pk_', 'must start with pk_')),
  CORS_ORIGINS: optional(z.string()),
  TRUST_PROXY: withDefault(z.string().regex(/^(true|false|\d{1,2}|[0-9a-f.:/, ]+)$/i, 'must be true, false, a hop count or addresses'), 'false'),
  LOG_LEVEL: withDefault(z.enum(['error', 'warn', 'log', 'debug', 'verbose']), 'log'),
  SHUTDOWN_TIMEOUT_SECONDS: withDefault(positiveInt(), 20),
  /** Periodic jobs this process does not run: `all`, or job names, comma separated (see PeriodicJobs). */
  JOBS_DISABLED: optional(z.string().regex(/^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/, 'must be all or job names, comma separated')),
});

export type PlatformSettings = SettingsOf<typeof platformSettings>;
export type LogLevel = PlatformSettings['LOG_LEVEL'];

/**
 * The validated platform settings, injected by class. The only place that reads the environment is
 * {@link loadConfig}; apps receive their own settings (see `AppDefinition.settings`), never this source.
 */
export class AppConfig {
  private signingKey?: KeyObject;
  private verificationKey?: KeyObject;
  private previousVerificationKeys?: KeyObject[];

  private constructor(
    private readonly source: Environment,
    private readonly settings: PlatformSettings,
  ) {}

  /** Validates the platform's settings, and those `apps` declare as far as they are given; see {@link loadConfig}. */
  static load(source: Environment, apps: AppSettings[] = []): AppConfig {
    const platform = settingsProblems(platformSettings, source);
    const problems = [...platform.problems, ...apps.flatMap((app) => settingsProblems(app, source, true).problems)];
    if (problems.length) throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
    return new AppConfig(source, platform.value as PlatformSettings);
  }

  get port(): number {
    return this.settings.PORT;
  }

  get host(): string {
    return this.settings.HOST;
  }

  /** Postgres: apps that keep a schema need it, so reading it fails start-up when unset. */
  get databaseUrl(): string {
    return this.required('DATABASE_URL');
  }

  get databaseAcquireTimeoutMs(): number {
    return this.settings.DATABASE_ACQUIRE_TIMEOUT_MS;
  }

  /** DATABASE_URL when given, for the compositions that start a Postgres of their own otherwise. */
  get givenDatabaseUrl(): string | undefined {
    return this.settings.DATABASE_URL;
  }

  get natsUrl(): string {
    return this.settings.NATS_URL;
  }

  get eventsStreamReplicas(): number {
    return this.settings.EVENTS_STREAM_REPLICAS;
  }

  get publicWebUrl(): string {
    return this.settings.PUBLIC_WEB_URL.replace(/\/+$/, '');
  }

  /** Where peers open the signaling WebSocket; by default beside the REST API (standalone mode). */
  get signalingUrl(): string {
    if (this.settings.SIGNALING_PUBLIC_URL) return this.settings.SIGNALING_PUBLIC_URL;
    const web = new URL(this.publicWebUrl);
    web.protocol = web.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${web.origin}/signal/ws`;
  }

  /** SIGNALING_PUBLIC_URL when given, for the compositions that serve signaling on a port of their own otherwise. */
  get givenSignalingUrl(): string | undefined {
    return this.settings.SIGNALING_PUBLIC_URL;
  }

  get stripePublishableKey(): string | undefined {
    return this.settings.STRIPE_PUBLISHABLE_KEY;
  }

  /** Browser origins allowed to call the API: CORS_ORIGINS (comma separated), else the web app's own. */
  get corsOrigins(): string[] {
    const listed = this.settings.CORS_ORIGINS?.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    return listed?.length ? listed : [new URL(this.publicWebUrl).origin];
  }

  /** Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address (rate limits). */
  get trustProxy(): boolean | number | string {
    const value = this.settings.TRUST_PROXY.trim();
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  }

  get logLevel(): LogLevel {
    return this.settings.LOG_LEVEL;
  }

  get shutdownTimeoutSeconds(): number {
    return this.settings.SHUTDOWN_TIMEOUT_SECONDS;
  }

  /** JOBS_DISABLED as written (PeriodicJobs reads the names). */
  get jobsDisabled(): string | undefined {
    return this.settings.JOBS_DISABLED;
  }

  /** Both halves of the key pair when both are given, for the compositions that make a pair otherwise. */
  get givenJwtKeys(): { privateKey: string; publicKey: string } | undefined {
    const { JWT_PRIVATE_KEY: privateKey, JWT_PUBLIC_KEY: publicKey } = this.settings;
    return privateKey && publicKey ? { privateKey, publicKey } : undefined;
  }

  get jwtPrivateKey(): string {
    return this.required('JWT_PRIVATE_KEY');
  }

  get jwtPublicKey(): string {
    return this.required('JWT_PUBLIC_KEY');
  }

  /** The keys parsed once: parsing a PEM costs more than the RS256 operation it is used for. */
  get jwtSigningKey(): KeyObject {
    this.signingKey ??= createPrivateKey(this.jwtPrivateKey);
    return this.signingKey;
  }

  /** JWT_PUBLIC_KEY, or the public half of JWT_PRIVATE_KEY when only that is given (identity, calls). */
  get jwtVerificationKey(): KeyObject {
    const { JWT_PUBLIC_KEY: publicKey, JWT_PRIVATE_KEY: privateKey } = this.settings;
    this.verificationKey ??= publicKey || !privateKey ? createPublicKey(this.jwtPublicKey) : createPublicKey(this.jwtSigningKey);
    return this.verificationKey;
  }

  /** JWT_PREVIOUS_PUBLIC_KEYS, parsed: none when unset. */
  get jwtPreviousVerificationKeys(): KeyObject[] {
    this.previousVerificationKeys ??= (this.settings.JWT_PREVIOUS_PUBLIC_KEYS ?? []).map((pemText) => createPublicKey(pemText));
    return this.previousVerificationKeys;
  }

  /** Where /metrics listens, and whether METRICS_PORT said so (a default port already taken only warns). */
  get metricsPort(): { port: number; given: boolean } {
    const given = this.settings.METRICS_PORT;
    return { port: given ?? DEFAULT_METRICS_PORT, given: given !== undefined };
  }

  /** An app's own settings from the same environment; the bootstrap injects them (apps never call this). */
  settingsOf<T extends AppSettings>(settings: T): SettingsOf<T> {
    return parseSettings(settings, this.source);
  }

  /** Checks several apps' settings together, naming every bad variable in one ConfigError. */
  settingsOfAll(apps: AppSettings[]): void {
    const problems = apps.flatMap((app) => settingsProblems(app, this.source).problems);
    if (problems.length) throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
  }

  /** A copy with some variables replaced, validated again; the compositions fill in what they provide themselves. */
  with(overrides: Environment): AppConfig {
    return AppConfig.load({ ...this.source, ...overrides });
  }

  /** Fails start-up, naming the variable, when a platform module needs a setting that has no default. */
  private required<K extends 'DATABASE_URL' | 'JWT_PRIVATE_KEY' | 'JWT_PUBLIC_KEY'>(name: K): string {
    const value = this.settings[name];
    if (value === undefined) throw new ConfigError(`Invalid configuration: ${name} is required`);
    return value;
  }
}

/**
 * Reads the environment (the process's unless given): the platform's settings, and the variables
 * `apps` declare that are given (a missing one is reported when the app starts, after a
 * composition has filled in what it provides). A bad value raises a ConfigError naming it.
 */
export function loadConfig(source: Environment = process.env, apps: AppSettings[] = []): AppConfig {
  return AppConfig.load({ ...source }, apps);
}
