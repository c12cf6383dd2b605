// Black-box tests of the built apps as separate processes. They share the machine's NATS, so
// they run one file at a time.
module.exports = {
  ...require('../jest.preset'),
  displayName: 'e2e',
  rootDir: __dirname,
  testTimeout: 120_000,
  maxWorkers: 1,
};
