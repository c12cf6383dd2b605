import { generateKeyPairSync } from 'node:crypto';
import { AppConfig, ConfigError, Environment, loadConfig } from './app-config';

const VARIABLES: Array<keyof Environment> = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'NATS_URL',
  'PUBLIC_WEB_URL',
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEY',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_DAYS',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'TURN_SECRET',
  'TURN_URLS',
  'CALL_NO_SHOW_SECONDS',
  'RATE_LIMIT_PER_MINUTE',
  'STRIPE_SECRET_KEY',
  'STRIPE_API_BASE',
  'STRIPE_EMULATOR_PORT',
  'DATA_DIR',
  'EMBEDDED_POSTGRES_PORT',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_SECONDS',
];

/** The error loadConfig raises, or a failure when it raises none. */
function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${Object.keys(source).join(', ')}`);
}

/** Variable names mentioned as whole words (PORT is not found inside STRIPE_EMULATOR_PORT). */
const namedIn = (message: string) => VARIABLES.filter((name) => new RegExp(`(^|[^A-Z_])${name}([^A-Z_]|$)`).test(message));

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
      const { env } = loadConfig({});
      expect(env).toMatchObject({
        PORT: 3000,
        HOST: '0.0.0.0',
        NATS_URL: 'nats://127.0.0.1:4222',
        PUBLIC_WEB_URL: 'http://localhost:3000',
        ACCESS_TOKEN_TTL_SECONDS: 900,
        REFRESH_TOKEN_TTL_DAYS: 30,
        TURN_URLS: 'turn:localhost:3478',
        CALL_NO_SHOW_SECONDS: 300,
        RATE_LIMIT_PER_MINUTE: 60,
        STRIPE_EMULATOR_PORT: 12111,
        DATA_DIR: './.data',
        EMBEDDED_POSTGRES_PORT: 54329,
        LOG_LEVEL: 'log',
        SHUTDOWN_TIMEOUT_SECONDS: 20,
      });
      const withoutDefault: Array<keyof Environment> = [
        'DATABASE_URL',
        'JWT_PRIVATE_KEY',
        'JWT_PUBLIC_KEY',
        'ADMIN_EMAIL',
        'ADMIN_PASSWORD',
        'TURN_SECRET',
        'STRIPE_SECRET_KEY',
        'STRIPE_API_BASE',
      ];
      for (const name of withoutDefault) expect(env[name]).toBeUndefined();
    });

    it('treats an empty variable as unset', () => {
      const blank = Object.fromEntries(VARIABLES.map((name) => [name, '']));
      expect(loadConfig(blank).env).toEqual(loadConfig({}).env);
    });

    it('ignores variables it does not know', () => {
      const config = loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' });
      expect(Object.keys(config.env)).not.toEqual(expect.arrayContaining(['PATH']));
      expect(config.env).toEqual(loadConfig({}).env);
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
      const { env } = loadConfig({
        PORT: '8080',
        ACCESS_TOKEN_TTL_SECONDS: '60',
        REFRESH_TOKEN_TTL_DAYS: '7',
        CALL_NO_SHOW_SECONDS: '5',
        RATE_LIMIT_PER_MINUTE: '120',
        STRIPE_EMULATOR_PORT: '12112',
        EMBEDDED_POSTGRES_PORT: '5433',
      });
      expect(env).toMatchObject({
        PORT: 8080,
        ACCESS_TOKEN_TTL_SECONDS: 60,
        REFRESH_TOKEN_TTL_DAYS: 7,
        CALL_NO_SHOW_SECONDS: 5,
        RATE_LIMIT_PER_MINUTE: 120,
        STRIPE_EMULATOR_PORT: 12112,
        EMBEDDED_POSTGRES_PORT: 5433,
      });
      expect(typeof env.PORT).toBe('number');
    });

    it('accepts the port edges 1 and 65535', () => {
      expect(loadConfig({ PORT: '1' }).port).toBe(1);
      expect(loadConfig({ PORT: '65535' }).port).toBe(65_535);
    });

    it('lets RATE_LIMIT_PER_MINUTE be 0 (off, for load tests), unlike the other counts', () => {
      expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).env.RATE_LIMIT_PER_MINUTE).toBe(0);
      expect(namedIn(configError({ CALL_NO_SHOW_SECONDS: '0' }).message)).toEqual(['CALL_NO_SHOW_SECONDS']);
    });
  });

  describe('a bad value stops start-up with a ConfigError naming the variable', () => {
    it.each<[keyof Environment, string]>([
      ['PORT', 'abc'],
      ['PORT', '0'],
      ['PORT', '65536'],
      ['PORT', '3000.5'],
      ['PORT', '-80'],
      ['DATABASE_URL', 'mysql://root@localhost/vidivo'],
      ['DATABASE_URL', 'not a url'],
      ['NATS_URL', 'http://127.0.0.1:4222'],
      ['PUBLIC_WEB_URL', 'localhost:3000'],
      ['PUBLIC_WEB_URL', 'ftp://vidivo.app'],
      ['JWT_PRIVATE_KEY', 'not a key'],
      ['JWT_PUBLIC_KEY', 'not a key'],
      ['ACCESS_TOKEN_TTL_SECONDS', '0'],
      ['ACCESS_TOKEN_TTL_SECONDS', '15m'],
      ['REFRESH_TOKEN_TTL_DAYS', '-1'],
      ['TURN_SECRET', 'too-short'],
      ['CALL_NO_SHOW_SECONDS', 'five minutes'],
      ['RATE_LIMIT_PER_MINUTE', '-1'],
      ['RATE_LIMIT_PER_MINUTE', '1.5'],
      ['STRIPE_SECRET_KEY', 'pk_test_123'],
      ['STRIPE_API_BASE', 'localhost:12111'],
      ['STRIPE_EMULATOR_PORT', '70000'],
      ['EMBEDDED_POSTGRES_PORT', 'postgres'],
      ['LOG_LEVEL', 'fatal'],
      ['LOG_LEVEL', 'LOG'],
      ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
      ['SHUTDOWN_TIMEOUT_SECONDS', '2.5'],
    ])('%s=%p', (name, value) => {
      const error = configError({ [name]: value });
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/^Invalid configuration: /);
      expect(namedIn(error.message)).toEqual([name]);
    });

    it('names every bad variable at once', () => {
      const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'x' });
      expect(namedIn(error.message).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    });

    it.each<[keyof Environment, string]>([
      ['ADMIN_PASSWORD', 'hunter2'],
      ['TURN_SECRET', 'tiny-secret'],
      ['STRIPE_SECRET_KEY', 'rk_live_51Hsecretvalue'],
      ['JWT_PRIVATE_KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
    ])('does not repeat the bad value of the secret %s in the message', (name, value) => {
      const source: Record<string, string> = { [name]: value };
      if (name === 'ADMIN_PASSWORD') source.ADMIN_EMAIL = 'admin@example.com';
      const error = configError(source);
      expect(namedIn(error.message)).toEqual([name]);
      expect(error.message).not.toContain(value);
    });
  });

  describe('the admin account (both or neither)', () => {
    it('accepts both together', () => {
      const config = loadConfig({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'long enough' });
      expect(config.env).toMatchObject({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'long enough' });
    });

    it.each([
      ['only the email', { ADMIN_EMAIL: 'admin@example.com' }],
      ['only the password', { ADMIN_PASSWORD: 'long enough' }],
      ['the email and a blank password', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: '' }],
    ])('refuses %s, naming both variables', (_, source) => {
      expect(namedIn(configError(source).message)).toEqual(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);
    });

    it('checks the email itself', () => {
      expect(namedIn(configError({ ADMIN_EMAIL: 'admin', ADMIN_PASSWORD: 'long enough' }).message)).toEqual(['ADMIN_EMAIL']);
    });

    it('wants a password of at least 8 characters', () => {
      expect(loadConfig({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: '12345678' }).env.ADMIN_PASSWORD).toBe('12345678');
      expect(namedIn(configError({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: '1234567' }).message)).toEqual(['ADMIN_PASSWORD']);
    });
  });

  describe('keys and URLs', () => {
    it('accepts an RSA key pair in PEM', () => {
      const config = loadConfig({ JWT_PRIVATE_KEY: rsa.privateKey, JWT_PUBLIC_KEY: rsa.publicKey });
      expect(config.jwtPrivateKey).toBe(rsa.privateKey.trim());
      expect(config.jwtPublicKey).toBe(rsa.publicKey.trim());
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

    it('accepts a Stripe secret key and an API base for a Stripe-compatible server', () => {
      const { env } = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
      expect(env).toMatchObject({ STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    });

    it('gives PUBLIC_WEB_URL without trailing slashes, so link URLs have one slash before /c/', () => {
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app/' }).publicWebUrl).toBe('https://vidivo.app');
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app//' }).publicWebUrl).toBe('https://vidivo.app');
      expect(loadConfig({ PUBLIC_WEB_URL: 'https://vidivo.app/web' }).publicWebUrl).toBe('https://vidivo.app/web');
    });
  });
});

describe('AppConfig', () => {
  describe('need()', () => {
    it('returns a setting that is there', () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://localhost/vidivo' });
      expect(config.need('DATABASE_URL')).toBe('postgres://localhost/vidivo');
      expect(config.need('PORT')).toBe(3000);
    });

    it.each<[keyof Environment, (config: AppConfig) => unknown]>([
      ['DATABASE_URL', (config) => config.databaseUrl],
      ['JWT_PRIVATE_KEY', (config) => config.jwtPrivateKey],
      ['JWT_PUBLIC_KEY', (config) => config.jwtPublicKey],
    ])('fails naming %s when an app needs it and it is unset', (name, read) => {
      const config = loadConfig({});
      expect(() => config.need(name)).toThrow(new ConfigError(`Invalid configuration: ${name} is required`));
      expect(() => read(config)).toThrow(ConfigError);
      expect(() => read(config)).toThrow(`${name} is required`);
    });

    it('fails for a setting that has no default and was not given', () => {
      expect(() => loadConfig({}).need('TURN_SECRET')).toThrow('Invalid configuration: TURN_SECRET is required');
      expect(() => loadConfig({}).need('STRIPE_SECRET_KEY')).toThrow(ConfigError);
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
      expect(copy.env.LOG_LEVEL).toBe('warn');
    });

    it('leaves the original untouched', () => {
      const original = loadConfig({});
      original.with({ DATABASE_URL: 'postgres://127.0.0.1/vidivo', PORT: 9999 });
      expect(original.port).toBe(3000);
      expect(() => original.databaseUrl).toThrow(ConfigError);
    });

    it('replaces values that were already set', () => {
      const config = loadConfig({ JWT_PRIVATE_KEY: rsa.privateKey }).with({ JWT_PRIVATE_KEY: 'generated' });
      expect(config.jwtPrivateKey).toBe('generated');
    });

    it('chains', () => {
      const config = loadConfig({}).with({ PORT: 1 }).with({ HOST: '127.0.0.1' });
      expect(config.env).toMatchObject({ PORT: 1, HOST: '127.0.0.1' });
    });

    it('with nothing to replace gives an equal copy', () => {
      const original = loadConfig({ PORT: '5000' });
      expect(original.with({}).env).toEqual(original.env);
    });
  });
});
