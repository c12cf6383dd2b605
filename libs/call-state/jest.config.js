module.exports = { ...require('../../jest.preset'), displayName: 'call-state', rootDir: __dirname };
