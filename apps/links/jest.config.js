module.exports = { ...require('../../jest.preset'), displayName: 'links', rootDir: __dirname };
