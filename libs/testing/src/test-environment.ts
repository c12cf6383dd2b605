/**
 * Where the tests find the machine's services. The one place test code reads the environment;
 * the apps themselves only read it through libs/platform/config.
 */
export const testEnvironment = {
  /** A Postgres role allowed to create databases; each test file gets its own database. */
  postgresAdminUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
  /** Debian's package, which CI installs; CHROMIUM_PATH points elsewhere on other machines. */
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};
