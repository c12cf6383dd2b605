module.exports = { ...require('../../jest.preset'), displayName: 'signaling', rootDir: __dirname };
