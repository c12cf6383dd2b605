module.exports = { ...require('../../jest.preset'), displayName: 'stripe-emulator', rootDir: __dirname };
