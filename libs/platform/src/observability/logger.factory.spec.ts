import { Writable } from 'node:stream';
import { LoggerOptions, REDACTED, createLogger, redactUrl } from './logger.factory';
import { runWithRequestContext } from './request-context';

/** A pino destination that keeps what is written. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { destination, lines, records: () => lines.map((line) => JSON.parse(line)) };
}

function loggerWith(options: Partial<LoggerOptions> = {}) {
  const output = capture();
  const logger = createLogger({ app: 'test-app', level: 'verbose', destination: output.destination, ...options });
  return { logger, ...output };
}

const SECRETS = {
  password: 'hunter2-password',
  refresh_token: 'rt_secret_refresh',
  access_token: 'eyJ.secret.access',
  payment_method_id: 'pm_card_secret',
  token: 'st_secret_signaling',
  guest_token: 'gt_secret_guest',
};

describe('createLogger', () => {
  it('writes one JSON line per entry, with the level by name, the app and an ISO time', () => {
    const { logger, records } = loggerWith();
    logger.info({ subject: 'identity.auth.register' }, 'message handled');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', app: 'test-app', msg: 'message handled', subject: 'identity.auth.register', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });

  it.each([
    ['error', ['error']],
    ['warn', ['error', 'warn']],
    ['log', ['error', 'warn', 'info']],
    ['debug', ['error', 'warn', 'info', 'debug']],
    ['verbose', ['error', 'warn', 'info', 'debug', 'trace']],
  ] as const)('LOG_LEVEL=%s writes %p', (level, written) => {
    const { logger, records } = loggerWith({ level });
    for (const method of ['trace', 'debug', 'info', 'warn', 'error'] as const) logger[method](method);
    expect(
      records()
        .map((record) => record.level)
        .sort(),
    ).toEqual([...written].sort());
  });

  describe('redaction', () => {
    it.each(Object.keys(SECRETS))('never writes %s, at the top or nested in a body', (field) => {
      const { logger, lines } = loggerWith();
      const value = SECRETS[field as keyof typeof SECRETS];
      logger.info({ [field]: value }, 'top level');
      logger.info({ body: { [field]: value } }, 'in a body');
      logger.info({ request: { body: { [field]: value } } }, 'two objects down');
      const output = lines.join('\n');
      expect(output).not.toContain(value);
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line).toContain(`"${field}":"${REDACTED}"`);
    });

    it('never writes the Authorization or Cookie header of a request or the Set-Cookie of an answer', () => {
      const { logger, lines } = loggerWith();
      logger.info({
        req: { method: 'GET', url: '/v1/users/me', headers: { authorization: 'Bearer eyJ.secret.jwt', cookie: 'sid=secret-cookie', 'user-agent': 'curl' } },
        res: { statusCode: 200, headers: { 'set-cookie': 'sid=secret-set-cookie' } },
      });
      const [line] = lines;
      expect(line).not.toMatch(/eyJ\.secret|secret-cookie|secret-set-cookie|Bearer/);
      expect(JSON.parse(line)).toMatchObject({
        req: { headers: { authorization: REDACTED, cookie: REDACTED, 'user-agent': 'curl' } },
        res: { headers: { 'set-cookie': REDACTED } },
      });
    });

    it('redacts what a child logger is bound to as well', () => {
      const { logger, lines } = loggerWith();
      logger.child({ req: { headers: { authorization: 'Bearer bound-secret' } } }).warn('inside a request');
      expect(lines.join()).not.toContain('bound-secret');
    });

    it('keeps everything else', () => {
      const { logger, records } = loggerWith();
      logger.info({ body: { email: 'jane@example.com', username: 'jane' } });
      expect(records()[0].body).toEqual({ email: 'jane@example.com', username: 'jane' });
    });
  });

  describe('request ids', () => {
    it('adds the request id of the current request to every line', () => {
      const { logger, records } = loggerWith();
      runWithRequestContext({ requestId: 'abc-123' }, () => {
        logger.info('inside');
        logger.child({ context: 'bus' }).info('from a child');
      });
      logger.info('outside');
      expect(records().map((record) => record.request_id)).toEqual(['abc-123', 'abc-123', undefined]);
    });

    it("writes the id once when the line's logger is already bound to it (the HTTP request logger)", () => {
      const { logger, lines } = loggerWith();
      runWithRequestContext({ requestId: 'abc-123' }, () => logger.child({ request_id: 'abc-123' }).info('bound'));
      expect(lines[0].match(/"request_id"/g)).toHaveLength(1);
    });
  });
});

describe('redactUrl', () => {
  it.each([
    ['/signal/ws?token=st_eyJ.secret', `/signal/ws?token=${REDACTED}`],
    ['/signal/notify?token=eyJ.secret&x=1', `/signal/notify?token=${REDACTED}&x=1`],
    [
      '/x?a=1&access_token=s1&refresh_token=s2&password=s3&payment_method_id=pm_1#frag',
      `/x?a=1&access_token=${REDACTED}&refresh_token=${REDACTED}&password=${REDACTED}&payment_method_id=${REDACTED}#frag`,
    ],
    ['/x?TOKEN=secret', `/x?TOKEN=${REDACTED}`],
  ])('masks the secrets of %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each(['/v1/calls/links?page=2', '/v1/calls/history?status=active&idempotency_tokenish=1', '/token/abc', '/x?my_token=keep'])('leaves %s alone', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
