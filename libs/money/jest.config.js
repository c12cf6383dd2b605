module.exports = { ...require('../../jest.preset'), displayName: 'money', rootDir: __dirname };
