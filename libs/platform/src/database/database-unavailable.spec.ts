import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });

describe('isDatabaseUnavailable (decision 32)', () => {
  it.each([
    ['no free connection in the pool in time', new Error('timeout exceeded when trying to connect')],
    ['a new connection not opened in time', new Error('Connection terminated due to connection timeout')],
    ['the connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['Postgres not listening', withCode('ECONNREFUSED')],
    ['Postgres shutting down (admin_shutdown)', withCode('57P01')],
    ['Postgres starting up (cannot_connect_now)', withCode('57P03')],
    ['a connection exception (class 08)', withCode('08006')],
    ['a transaction whose connection was cut (TypeORM released its runner)', new QueryRunnerAlreadyReleasedError()],
    ['a statement after that, through the entity manager', new QueryRunnerProviderAlreadyReleasedError()],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("looks inside TypeORM's driverError and an error's cause", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('query failed'), { driverError: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: new Error('timeout exceeded when trying to connect') }))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain error', new Error('something else')],
    ['not an error', 'timeout exceeded when trying to connect'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
