// The workspace's own scripts: the API reference check, and the money audit (its spec runs the
// platform in process on real Postgres and the Stripe emulator, as the integration specs do).
module.exports = { ...require('../jest.preset'), displayName: 'tools', rootDir: __dirname };
