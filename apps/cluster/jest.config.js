module.exports = { ...require('../../jest.preset'), displayName: 'cluster', rootDir: __dirname };
