module.exports = { ...require('../../jest.preset'), displayName: 'identity', rootDir: __dirname };
