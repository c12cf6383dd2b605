module.exports = { ...require('../../jest.preset'), displayName: 'standalone', rootDir: __dirname };
