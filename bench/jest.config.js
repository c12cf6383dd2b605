module.exports = { ...require('../jest.preset'), displayName: 'bench', rootDir: __dirname };
