module.exports = { ...require('../../jest.preset'), displayName: 'scheduling', rootDir: __dirname };
