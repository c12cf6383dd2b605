// The workspace's own scripts: the API reference check.
module.exports = { ...require('../jest.preset'), displayName: 'tools', rootDir: __dirname };
