module.exports = { ...require('../../jest.preset'), displayName: 'calls', rootDir: __dirname };
