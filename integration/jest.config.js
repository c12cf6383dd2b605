// Specs of several apps (or the platform) together in one process, on real Postgres, NATS and the
// Stripe emulator. Each file has its own database, so two run side by side.
module.exports = { ...require('../jest.preset'), displayName: 'integration', rootDir: __dirname, maxWorkers: 2 };
