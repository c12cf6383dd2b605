// Only for docker/test-containers.sh: the production image's containers, started by that script,
// under the e2e contract suites. The normal e2e run (jest.config.js, `*.spec.ts`) never matches
// `*.containers-spec.ts`, because without the containers this file has nothing to test.
module.exports = {
  ...require('./jest.config'),
  displayName: 'e2e-containers',
  testMatch: ['<rootDir>/src/**/*.containers-spec.ts'],
};
