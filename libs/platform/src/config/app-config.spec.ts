import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { AppConfig, DEFAULT_METRICS_PORT, loadConfig } from './app-config';
import { ConfigError, defineSettings, parseSettings, setting } from './settings';

const VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATABASE_ACQUIRE_TIMEOUT_MS',
  'NATS_URL',
  'EVENTS_STREAM_REPLICAS',
  'PUBLIC_WEB_URL',
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEY',
  'JWT_PREVIOUS_PUBLIC_KEYS',
  'METRICS_PORT',
  'SIGNALING_PUBLIC_URL',
  'STRIPE_PUBLISHABLE_KEY',
  'CORS_ORIGINS',
  'TRUST_PROXY',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_SECONDS',
  'JOBS_DISABLED',
  'APP_SECRET',
  'APP_COUNT',
  'APP_URL',
  'APP_PORT',
];

/** An app's own settings, as each app declares them beside its AppDefinition. */
const appSettings = defineSettings(
  'app',
  {
    APP_SECRET: setting.required(z.string().min(16, 'must be at least 16 characters')),
    APP_COUNT: setting.withDefault(setting.positiveInt(), 5),
    APP_URL: setting.optional(setting.url(['http:', 'https:'])),
    APP_PORT: setting.withDefault(setting.port(), 12111),
  },
  ({ APP_URL, APP_PORT }) => (APP_URL !== undefined && APP_PORT === 1 ? 'APP_URL and APP_PORT disagree' : undefined),
);

/** The error `run` raises, or a failure when it raises none. */
function configError(source: Record<string, string | undefined>, run: (source: Record<string, string | undefined>) => unknown = loadConfig): ConfigError {
  try {
    run(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted ${Object.keys(source).join(', ')}`);
}

/** Variable names mentioned as whole words (PORT is not found inside APP_PORT). */
const namedIn = (message: string) => VARIABLES.filter((name) => new RegExp(`(^|[^A-Z_])${name}([^A-Z_]|$)`).test(message));

/** What the platform's getters give, for comparing configurations. */
const readings = (config: AppConfig) => ({
  port: config.port,
  host: config.host,
  givenDatabaseUrl: config.givenDatabaseUrl,
  databaseAcquireTimeoutMs: config.databaseAcquireTimeoutMs,
  natsUrl: config.natsUrl,
  publicWebUrl: config.publicWebUrl,
  signalingUrl: config.signalingUrl,
  givenJwtKeys: config.givenJwtKeys,
  stripePublishableKey: config.stripePublishableKey,
  corsOrigins: config.corsOrigins,
  trustProxy: config.trustProxy,
  logLevel: config.logLevel,
  shutdownTimeoutSeconds: config.shutdownTimeoutSeconds,
  jobsDisabled: config.jobsDisabled,
});

function pemPair(type: 'rsa' | 'ec'): { privateKey: string; publicKey: string } {
  const publicKeyEncoding = { type: 'spki', format: 'pem' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  return type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding })
    : generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding, privateKeyEncoding });
}

let rsa: { privateKey: string; publicKey: string };

beforeAll(() => {
  rsa = pemPair('rsa');
});

describe('loadConfig', () => {
  describe('defaults (README, decision 22)', () => {
    it('fills in every documented default and leaves the rest unset', () => {
      expect(readings(loadConfig({}))).toEqual({
        port: 3000,
        host: '0.0.0.0',
        givenDatabaseUrl: undefined,
        databaseAcquireTimeoutMs: 5000,
        natsUrl: 'nats://127.0.0.1:4222',
        publicWebUrl: 'http://localhost:3000',
        signalingUrl: 'ws://localhost:3000/signal/ws',
        givenJwtKeys: undefined,
        stripePublishableKey: undefined,
        corsOrigins: ['http://localhost:3000'],
        trustProxy: false,
        logLevel: 'log',
        shutdownTimeoutSeconds: 20,
        jobsDisabled: undefined,
      });
    });

    it('treats an empty variable as unset', () => {
      const blank = Object.fromEntries(VARIABLES.map((name) => [name, '']));
      expect(readings(loadConfig(blank))).toEqual(readings(loadConfig({})));
    });

    it('ignores variables it does not know', () => {
      expect(readings(loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' }))).toEqual(readings(loadConfig({})));
    });

    it('reads the process environment when given nothing', () => {
      // The one reader of the environment is loadConfig itself; the test swaps it for a copy.
      const environment = jest.replaceProperty(process, 'env', { ...process.env, PORT: '4321' });
      try {
        expect(loadConfig().port).toBe(4321);
      } finally {
        environment.restore();
      }
    });
  });

  describe('numbers', () => {
    it('parses numeric variables into numbers', () => {
      const config = loadConfig({ PORT: '8080', SHUTDOWN_TIMEOUT_SECONDS: '5', DATABASE_ACQUIRE_TIMEOUT_MS: '750' });
      expect(config.port).toBe(8080);
      expect(config.shutdownTimeoutSeconds).toBe(5);
      expect(config.databaseAcquireTimeoutMs).toBe(750);
      expect(loadConfig({ EVENTS_STREAM_REPLICAS: '3' }).eventsStreamReplicas).toBe(3);
      expect(loadConfig({}).eventsStreamReplicas).toBe(1);
    });

    it('serves /metrics on METRICS_PORT, or on the default port, saying which (decision 36)', () => {
      expect(loadConfig({}).metricsPort).toEqual({ port: DEFAULT_METRICS_PORT, given: false });
      expect(loadConfig({ METRICS_PORT: '9100' }).metricsPort).toEqual({ port: 9100, given: true });
      expect(namedIn(configError({ METRICS_PORT: '70000' }).message)).toEqual(['METRICS_PORT']);
    });

    it('accepts the port edges 1 and 65535', () => {
      expect(loadConfig({ PORT: '1' }).port).toBe(1);
      expect(loadConfig({ PORT: '65535' }).port).toBe(65_535);
    });
  });

  describe('a bad value stops start-up with a ConfigError naming the variable', () => {
    it.each<[string, string]>([
      ['PORT', 'abc'],
      ['PORT', '0'],
      ['PORT', '65536'],
      ['PORT', '3000.5'],
      ['PORT', '-80'],
      ['DATABASE_URL', 'mysql://root@localhost/vidivo'],
      ['DATABASE_URL', 'not a url'],
      ['NATS_URL', 'http://127.0.0.1:4222'],
      ['EVENTS_STREAM_REPLICAS', '0'],
      ['EVENTS_STREAM_REPLICAS', '7'],
      ['PUBLIC_WEB_URL', 'localhost:3000'],
      ['PUBLIC_WEB_URL', 'ftp://vidivo.app'],
      ['JWT_PRIVATE_KEY', 'not a key'],
      ['JWT_PUBLIC_KEY', 'not a key'],
      ['SIGNALING_PUBLIC_URL', 'https://vidivo.app/signal/ws'],
      ['STRIPE_PUBLISHABLE_KEY', 'sk_test_123'],
      ['TRUST_PROXY', 'sometimes'],
      ['LOG_LEVEL', 'fatal'],
      ['LOG_LEVEL', 'LOG'],
      ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
      ['SHUTDOWN_TIMEOUT_SECONDS', '2.5'],
      ['JOBS_DISABLED', 'top-up;outbox'],
    ])('%s=%p', (name, value) => {
      const error = configError({ [name]: value });
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/^Invalid configuration: /);
      expect(namedIn(error.message)).toEqual([name]);
    });

    it("names every bad variable at once, the apps' given ones with the platform's", () => {
      const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'x', APP_COUNT: '0' }, (source) => loadConfig(source, [appSettings]));
      expect(namedIn(error.message).sort()).toEqual(['APP_COUNT', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    });

    it.each<[string, string]>([
      ['APP_SECRET', 'tiny-secret'],
      ['JWT_PRIVATE_KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
    ])('does not repeat the bad value of the secret %s in the message', (name, value) => {
      const error = configError({ [name]: value }, (source) => loadConfig(source, [appSettings]));
      expect(namedIn(error.message)).toEqual([name]);
      expect(error.message).not.toContain(value);
    });
  });

  describe('keys and URLs', () => {
    it('accepts an RSA key pair in PEM', () => {
      const config = loadConfig({ JWT_PRIVATE_KEY: rsa.privateKey, JWT_PUBLIC_KEY: rsa.publicKey });
      expect(config.jwtPrivateKey).toBe(rsa.privateKey.trim());
      expect(config.jwtPublicKey).toBe(rsa.publicKey.trim());
      expect(config.givenJwtKeys).toEqual({ privateKey: rsa.privateKey.trim(), publicKey: rsa.publicKey.trim() });
    });

    it('accepts a key written on one line with \\n escapes, as .env files and CI secrets carry it', () => {
      const oneLine = rsa.privateKey.trim().replace(/\n/g, '\\n');
      expect(oneLine).not.toContain('\n');
      expect(loadConfig({ JWT_PRIVATE_KEY: oneLine }).jwtPrivateKey).toBe(rsa.privateKey.trim());
    });

    it('refuses a public key where the private key belongs', () => {
      expect(namedIn(configError({ JWT_PRIVATE_KEY: rsa.publicKey }).message)).toEqual(['JWT_PRIVATE_KEY']);
    });

    it('refuses a private key where the public key belongs (the gateway must never hold the signing key)', () => {
      expect(namedIn(configError({ JWT_PUBLIC_KEY: rsa.privateKey }).message)).toEqual(['JWT_PUBLIC_KEY']);
    });

    it('accepts previous public keys one after the other, on lines of their own or escaped on one line (decision 36)', () => {
      const older = pemPair('rsa');
      const config = loadConfig({ JWT_PREVIOUS_PUBLIC_KEYS: `${rsa.publicKey}\n${older.publicKey}` });
      expect(config.jwtPreviousVerificationKeys.map((key) => key.export({ format: 'pem', type: 'spki' }).toString().trim())).toEqual([
        rsa.publicKey.trim(),
        older.publicKey.trim(),
      ]);
      const oneLine = `${rsa.publicKey.trim()},${older.publicKey.trim()}`.replace(/\n/g, '\\n');
      expect(loadConfig({ JWT_PREVIOUS_PUBLIC_KEYS: oneLine }).jwtPreviousVerificationKeys).toHaveLength(2);
      expect(loadConfig({}).jwtPreviousVerificationKeys).toEqual([]);
    });

    it.each<[string, () => string]>([
      ['a private key', () => rsa.privateKey],
      ['text between the keys', () => `${rsa.publicKey}\nand this\n${rsa.publicKey}`],
      ['an EC key', () => pemPair('ec').publicKey],
      ['no key at all', () => 'none'],
    ])('refuses %s among the previous public keys', (_, value) => {
      expect(namedIn(configError({ JWT_PREVIOUS_PUBLIC_KEYS: value() }).message)).toEqual(['JWT_PREVIOUS_PUBLIC_KEYS']);
    });

    it('derives the public key from JWT_PRIVATE_KEY when JWT_PUBLIC_KEY is not given', () => {
      const derived = loadConfig({ JWT_PRIVATE_KEY: rsa.privateKey }).jwtVerificationKey.export({ format: 'pem', type: 'spki' }).toString();
      expect(derived.trim()).toBe(rsa.publicKey.trim());
    });

    it('refuses a key that is not RSA: tokens are signed RS256 (decision 6)', () => {
      const ec = pemPair('ec');
      expect(namedIn(configError({ JWT_PRIVATE_KEY: ec.privateKey }).message)).toEqual(['JWT_PRIVATE_KEY']);
      expect(namedIn(configError({ JWT_PUBLIC_KEY: ec.publicKey }).message)).toEqual(['JWT_PUBLIC_KEY']);
    });

    it.each(['postgres://postgres@127.0.0.1:5432/vidivo', 'postgresql://u:p@db.internal/vidivo?sslmode=require'])('accepts DATABASE_URL %p', (url) => {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });

    it.each(['nats://nats:4222', 'tls://nats.internal:4222', 'ws://nats:8080', 'wss://nats.example.com'])('accepts NATS_URL %p', (url) => {
      expect(loadConfig({ NATS_URL: url }).natsUrl).toBe(url);
    });

    it('gives PUBLIC_WEB_URL without trailing slashes, so link URLs have one slash before /c/', () => {
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app/' }).publicWebUrl).toBe('https://vidivo.app');
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app//' }).publicWebUrl).toBe('https://vidivo.app');
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app/web' }).publicWebUrl).toBe('https://vidivo.app/web');
    });

    it('puts signaling beside the web app unless SIGNALING_PUBLIC_URL says where', () => {
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app' }).signalingUrl).toBe('wss://vidivo.app/signal/ws');
      expect(loadConfig({ SIGNALING_PUBLIC_URL: 'wss://signal.vidivo.app/signal/ws' }).signalingUrl).toBe('wss://signal.vidivo.app/signal/ws');
    });
  });
});

describe('AppConfig', () => {
  describe('a platform setting without a default', () => {
    it.each<[string, (config: AppConfig) => unknown]>([
      ['DATABASE_URL', (config) => config.databaseUrl],
      ['JWT_PRIVATE_KEY', (config) => config.jwtPrivateKey],
      ['JWT_PUBLIC_KEY', (config) => config.jwtPublicKey],
    ])('fails naming %s when a module reads it and it is unset', (name, read) => {
      const config = loadConfig({});
      expect(() => read(config)).toThrow(new ConfigError(`Invalid configuration: ${name} is required`));
    });
  });

  describe("an app's settings", () => {
    it('are typed, with their defaults', () => {
      const settings = loadConfig({ APP_SECRET: 'a secret of sixteen' }).settingsOf(appSettings);
      expect(settings).toEqual({ APP_SECRET: 'a secret of sixteen', APP_COUNT: 5, APP_URL: undefined, APP_PORT: 12111 });
      expect(parseSettings(appSettings, { APP_SECRET: 'a secret of sixteen', APP_COUNT: '7' }).APP_COUNT).toBe(7);
    });

    it('stop the start naming a required variable that is unset or blank', () => {
      for (const source of [{}, { APP_SECRET: '' }]) {
        expect(() => loadConfig(source).settingsOf(appSettings)).toThrow(new ConfigError('Invalid configuration: APP_SECRET is required'));
      }
    });

    it("leave a missing required variable to the app's start, as a composition may fill it in", () => {
      const config = loadConfig({}, [appSettings]).with({ APP_SECRET: 'filled in by standalone' });
      expect(config.settingsOf(appSettings).APP_SECRET).toBe('filled in by standalone');
    });

    it('run their check across variables', () => {
      expect(configError({ APP_URL: 'http://x.test', APP_PORT: '1' }, (source) => loadConfig(source, [appSettings])).message).toBe(
        'Invalid configuration: APP_URL and APP_PORT disagree',
      );
    });

    it('are checked together, every bad variable named', () => {
      const other = defineSettings('other', { OTHER_COUNT: setting.withDefault(setting.positiveInt(), 1) });
      const error = configError({ APP_COUNT: '0', OTHER_COUNT: 'x' }, (source) => loadConfig(source).settingsOfAll([appSettings, other]));
      expect(error.message).toContain('APP_SECRET is required');
      expect(error.message).toContain('APP_COUNT');
      expect(error.message).toContain('OTHER_COUNT');
    });
  });

  describe('with()', () => {
    it('gives a copy with the settings replaced and the others kept', () => {
      const original = loadConfig({ PORT: '4000', LOG_LEVEL: 'warn' });
      const copy = original.with({ DATABASE_URL: 'postgres://127.0.0.1:54329/vidivo' });
      expect(copy).toBeInstanceOf(AppConfig);
      expect(copy).not.toBe(original);
      expect(copy.databaseUrl).toBe('postgres://127.0.0.1:54329/vidivo');
      expect(copy.port).toBe(4000);
      expect(copy.logLevel).toBe('warn');
    });

    it('leaves the original untouched', () => {
      const original = loadConfig({});
      original.with({ DATABASE_URL: 'postgres://127.0.0.1/vidivo', PORT: '9999' });
      expect(original.port).toBe(3000);
      expect(() => original.databaseUrl).toThrow(ConfigError);
    });

    it('replaces values that were already set, and checks them again', () => {
      const other = pemPair('rsa');
      const config = loadConfig({ JWT_PRIVATE_KEY: rsa.privateKey }).with({ JWT_PRIVATE_KEY: other.privateKey });
      expect(config.jwtPrivateKey).toBe(other.privateKey.trim());
      expect(namedIn(configError({}, () => loadConfig({}).with({ PORT: 'abc' })).message)).toEqual(['PORT']);
    });

    it('chains', () => {
      const config = loadConfig({}).with({ PORT: '1' }).with({ HOST: '127.0.0.1' });
      expect([config.port, config.host]).toEqual([1, '127.0.0.1']);
    });

    it('with nothing to replace gives an equal copy', () => {
      const original = loadConfig({ PORT: '5000' });
      expect(readings(original.with({}))).toEqual(readings(original));
    });
  });
});
