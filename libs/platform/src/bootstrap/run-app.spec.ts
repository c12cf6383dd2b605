import { ConfigError } from '../config';
import { startFailure } from './run-app';

describe('startFailure', () => {
  it("logs a configuration error's sentence, without a stack", () => {
    expect(startFailure(new ConfigError('DATABASE_URL must be a postgres URL'))).toBe('DATABASE_URL must be a postgres URL');
  });

  it("logs another error's stack", () => {
    const error = new Error('listen EADDRINUSE');
    expect(startFailure(error)).toBe(error.stack);
  });

  it.each([[undefined], [null], ['a string'], [42]])('logs %p thrown as it is, instead of failing to read its stack', (thrown) => {
    expect(startFailure(thrown)).toBe(`start-up failed: ${String(thrown)}`);
  });
});
