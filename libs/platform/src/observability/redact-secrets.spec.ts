import { Writable } from 'node:stream';
import { REDACTED, createLogger, redactSecrets } from './logger.factory';

describe('redactSecrets', () => {
  it('masks secret fields at the top and up to two objects down, arrays included', () => {
    expect(redactSecrets({ token: 't', body: { password: 'p' }, req: { headers: { authorization: 'Bearer x', host: 'h' } }, res: { headers: { 'set-cookie': 's' } } })).toEqual({
      token: REDACTED,
      body: { password: REDACTED },
      req: { headers: { authorization: REDACTED, host: 'h' } },
      res: { headers: { 'set-cookie': REDACTED } },
    });
    expect(redactSecrets({ list: [{ refresh_token: 'r' }] })).toEqual({ list: [{ refresh_token: REDACTED }] });
  });

  it('looks three levels down, as the pino paths it replaces did (`*.*.field`): deeper is not walked', () => {
    expect(redactSecrets({ a: { b: { token: 't', c: { token: 'deep' } } } })).toEqual({ a: { b: { token: REDACTED, c: { token: 'deep' } } } });
  });

  it('never changes what it is given (a request logged with its own headers keeps them)', () => {
    const headers = { authorization: 'Bearer secret', host: 'example.com' };
    const fields = { req: { method: 'GET', headers } };
    const redacted = redactSecrets(fields);
    expect(redacted.req.headers.authorization).toBe(REDACTED);
    expect(headers.authorization).toBe('Bearer secret');
    expect(fields.req.headers).toBe(headers);
  });

  it('returns the very object when there is nothing to mask, and copies only the way to a secret', () => {
    const clean = { a: { b: { c: 1 } }, list: [1, 2] };
    expect(redactSecrets(clean)).toBe(clean);
    const mixed = { clean: { x: 1 }, dirty: { password: 'p' } };
    const redacted = redactSecrets(mixed);
    expect(redacted.clean).toBe(mixed.clean);
    expect(redacted.dirty).not.toBe(mixed.dirty);
  });

  it('keeps what a copied object is (its class, its non-enumerable fields)', () => {
    const error = Object.assign(new Error('boom'), { token: 'secret' });
    const redacted = redactSecrets({ err: error }).err;
    expect(redacted).toBeInstanceOf(Error);
    expect(redacted.message).toBe('boom');
    expect(redacted.token).toBe(REDACTED);
    expect(error.token).toBe('secret');
  });

  it('leaves primitives and empty values alone', () => {
    expect(redactSecrets('password')).toBe('password');
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets({ password: undefined })).toEqual({ password: undefined });
  });
});

describe('the logger with redactSecrets', () => {
  it("masks secrets in a grandchild's bindings too", () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _, done) => (lines.push(String(chunk)), done()) });
    createLogger({ app: 'test-app', level: 'log', destination })
      .child({ context: 'x' })
      .child({ body: { guest_token: 'bound-secret' } })
      .info('bound');
    expect(lines.join()).not.toContain('bound-secret');
    expect(JSON.parse(lines[0])).toMatchObject({ context: 'x', body: { guest_token: REDACTED }, msg: 'bound' });
  });
});
