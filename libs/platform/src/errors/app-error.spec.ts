import {
  ArgumentsHost,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { CreateLinkMessage, CreateLinkRequest, ERROR_STATUS, ErrorBody, ErrorCode, isErrorCode } from '@vidivo/contracts';
import { Observable, firstValueFrom } from 'rxjs';
import { AppError } from './app-error';
import { ErrorEnvelopeFilter } from './error-envelope.filter';
import { MAX_PATH_PARAMETER_LENGTH, createValidationPipe } from './validation.pipe';

const ALL_CODES = Object.values(ErrorCode);

describe('AppError', () => {
  it('is an Error that carries a code, a message and details', () => {
    const details = [{ field: 'rate_per_minute', message: 'too low' }];
    const error = new AppError(ErrorCode.ValidationError, 'The request is not valid', details);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name: 'AppError', code: 'validation_error', message: 'The request is not valid', details });
    expect(error.stack).toContain('The request is not valid');
  });

  it.each([
    ['validation', AppError.validation('Bad body', [{ field: 'x', message: 'y' }]), ErrorCode.ValidationError, 'Bad body'],
    ['unauthorized', AppError.unauthorized(), ErrorCode.Unauthorized, 'Authentication is required'],
    ['unauthorized with a message', AppError.unauthorized('Token expired'), ErrorCode.Unauthorized, 'Token expired'],
    ['forbidden', AppError.forbidden(), ErrorCode.Forbidden, 'You are not allowed to do this'],
    ['forbidden with a message', AppError.forbidden('Only hosts can create call links'), ErrorCode.Forbidden, 'Only hosts can create call links'],
    ['notFound', AppError.notFound('Link'), ErrorCode.NotFound, 'Link not found'],
    ['conflict', AppError.conflict('This username is taken'), ErrorCode.Conflict, 'This username is taken'],
  ])('%s() sets the code and the message', (_, error, code, message) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('keeps validation details', () => {
    expect(AppError.validation('Bad body', [{ field: 'x', message: 'y' }]).details).toEqual([{ field: 'x', message: 'y' }]);
  });

  describe('toBody()', () => {
    it('gives code and message, and no details key when there are none', () => {
      const body = AppError.notFound('Link').toBody();
      expect(body).toEqual({ code: 'not_found', message: 'Link not found' });
      expect(Object.keys(body)).toEqual(['code', 'message']);
    });

    it('adds the details when there are some', () => {
      const details = [{ field: 'window_size_minutes', message: 'window_size_minutes must not be greater than 60' }];
      expect(AppError.validation('The request is not valid', details).toBody()).toEqual({
        code: 'validation_error',
        message: 'The request is not valid',
        details,
      });
    });

    it('carries no stack, name or other internals', () => {
      expect(JSON.stringify(AppError.conflict('taken').toBody())).toBe('{"code":"conflict","message":"taken"}');
    });
  });

  describe('fromBody()', () => {
    it.each(ALL_CODES.filter((code) => code !== ErrorCode.PaymentActionRequired))('rebuilds a %s error that came back through JSON', (code) => {
      const sent = new AppError(code, `a ${code}`, [{ field: 'f', message: 'm' }]);
      const rebuilt = AppError.fromBody(JSON.parse(JSON.stringify(sent.toBody())));
      expect(rebuilt).toBeInstanceOf(AppError);
      expect(rebuilt?.toBody()).toEqual(sent.toBody());
    });

    it('rebuilds a payment_action_required error with the authentication it asks for (decision 25)', () => {
      const action = { payment_intent_id: 'pi_1', client_secret: 'pi_1_secret_x', next_action: { type: 'redirect_to_url', redirect_to_url: { url: 'https://x' } } };
      const sent = AppError.paymentActionRequired('authenticate', action);
      expect(sent.toBody()).toEqual({ code: 'payment_action_required', message: 'authenticate', details: action });
      const rebuilt = AppError.fromBody(JSON.parse(JSON.stringify(sent.toBody())));
      expect(rebuilt?.toBody()).toEqual(sent.toBody());
      expect(rebuilt?.details).toBeUndefined();
    });

    it('drops payment_action_required details that are not an authentication to complete', () => {
      for (const details of [[{ field: 'f', message: 'm' }], { payment_intent_id: 'pi_1' }, 'oops']) {
        const rebuilt = AppError.fromBody({ code: 'payment_action_required', message: 'authenticate', details });
        expect(rebuilt?.toBody()).toEqual({ code: 'payment_action_required', message: 'authenticate' });
      }
    });

    it('drops details that are not a list', () => {
      const rebuilt = AppError.fromBody({ code: 'conflict', message: 'taken', details: 'oops' });
      expect(rebuilt?.details).toBeUndefined();
      expect(rebuilt?.toBody()).toEqual({ code: 'conflict', message: 'taken' });
    });

    it.each([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'not_found'],
      ['a number', 404],
      ['an empty object', {}],
      ['an unknown code', { code: 'teapot', message: 'short and stout' }],
      ['a code in the wrong case', { code: 'NOT_FOUND', message: 'x' }],
      ['an HTTP status instead of a code', { code: 404, message: 'x' }],
      ['a missing message', { code: 'not_found' }],
      ['a message that is not a string', { code: 'not_found', message: { text: 'x' } }],
      ['a plain Error', new Error('boom')],
      ['the whole envelope instead of its body', { error: { code: 'not_found', message: 'x' } }],
    ])('trusts nothing unrecognised: %s gives null', (_, body) => {
      expect(AppError.fromBody(body)).toBeNull();
    });

    it.each(['toString', 'constructor', '__proto__'])('does not take the inherited object property %p for an error code', (code) => {
      expect(AppError.fromBody({ code, message: 'x' })).toBeNull();
    });
  });
});

describe('error codes and statuses (decision 2)', () => {
  it('maps every code to the status of the spec', () => {
    expect(ERROR_STATUS).toEqual({
      validation_error: 400,
      unauthorized: 401,
      stripe_error: 402,
      payment_action_required: 402,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      idempotency_key_reused: 422,
      payload_too_large: 413,
      unsupported_media_type: 415,
      rate_limited: 429,
      internal_error: 500,
      service_unavailable: 503,
    });
  });

  it('has exactly one code per status, but for 402: a payment refused, or one that needs the card authenticated first', () => {
    const byStatus = new Map<number, string[]>();
    for (const [code, status] of Object.entries(ERROR_STATUS)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    for (const [status, codes] of byStatus)
      expect({ status, codes }).toEqual({ status, codes: status === 402 ? ['stripe_error', 'payment_action_required'] : [expect.any(String)] });
  });

  it.each(ALL_CODES)('recognises %s', (code) => {
    expect(isErrorCode(code)).toBe(true);
  });

  it.each([['Not_Found'], [''], ['internal'], [400], [undefined], [null], [{}], ['toString'], ['__proto__']])('does not recognise %p', (value) => {
    expect(isErrorCode(value)).toBe(false);
  });
});

describe('ErrorEnvelopeFilter', () => {
  const filter = new ErrorEnvelopeFilter();
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => logged.mockRestore());

  function overHttp(exception: unknown, headersSent = false) {
    const response = { headersSent, status: jest.fn(), json: jest.fn(), setHeader: jest.fn() };
    response.status.mockReturnValue(response);
    const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
    const returned = filter.catch(exception, host);
    const status = response.status.mock.calls.length ? (response.status.mock.calls[0][0] as number) : undefined;
    const json = response.json.mock.calls.length ? (response.json.mock.calls[0][0] as { error: ErrorBody }) : undefined;
    return { status, json, returned, response };
  }

  describe('over HTTP', () => {
    it.each(ALL_CODES)('sends a %s AppError with its status, inside { error }', (code) => {
      const { status, json } = overHttp(new AppError(code, 'what happened'));
      expect(status).toBe(ERROR_STATUS[code]);
      expect(json).toEqual({ error: { code, message: 'what happened' } });
    });

    it('asks the client to retry a 503 after a few seconds, and only a 503', () => {
      expect(overHttp(AppError.serviceUnavailable('No answer from calls.join')).response.setHeader).toHaveBeenCalledWith('Retry-After', '2');
      expect(overHttp(AppError.conflict('taken')).response.setHeader).not.toHaveBeenCalled();
    });

    it('includes validation details', () => {
      const details = [{ field: 'rate_per_minute', message: 'too low' }];
      expect(overHttp(AppError.validation('The request is not valid', details)).json).toEqual({
        error: { code: 'validation_error', message: 'The request is not valid', details },
      });
    });

    it.each<[string, unknown, number, ErrorCode, string]>([
      ['an unknown route', new NotFoundException('Cannot GET /v1/nope'), 404, ErrorCode.NotFound, 'Cannot GET /v1/nope'],
      ['a Nest 401', new UnauthorizedException('Token expired'), 401, ErrorCode.Unauthorized, 'Token expired'],
      ['a Nest 403', new ForbiddenException('No'), 403, ErrorCode.Forbidden, 'No'],
      ['a Nest 409', new ConflictException('Busy'), 409, ErrorCode.Conflict, 'Busy'],
      ['a string-bodied HttpException', new HttpException('Slow down', 429), 429, ErrorCode.RateLimited, 'Slow down'],
      ['a Nest 413', new PayloadTooLargeException('Too big'), 413, ErrorCode.PayloadTooLarge, 'Too big'],
      ['a Nest 415', new UnsupportedMediaTypeException('Send JSON'), 415, ErrorCode.UnsupportedMediaType, 'Send JSON'],
    ])('maps %s to its code and keeps the status', (_, exception, status, code, message) => {
      expect(overHttp(exception)).toMatchObject({ status, json: { error: { code, message } } });
    });

    it('turns malformed JSON (body-parser) into a 400 validation_error, never a 500', () => {
      const parseError = Object.assign(new SyntaxError('Unexpected token } in JSON at position 10'), {
        status: 400,
        type: 'entity.parse.failed',
      });
      const { status, json } = overHttp(parseError);
      expect(status).toBe(400);
      expect(json?.error.code).toBe('validation_error');
      expect(logged).not.toHaveBeenCalled();
    });

    it('says the body is too large when body-parser refuses it without a sentence', () => {
      const tooLarge = Object.assign(new Error(''), { status: 413, type: 'entity.too.large' });
      expect(overHttp(tooLarge)).toMatchObject({ status: 413, json: { error: { code: 'payload_too_large', message: 'The request body is too large' } } });
    });

    it('gives a Nest BadRequestException with a list of messages a generic sentence', () => {
      const { status, json } = overHttp(new BadRequestException(['a must be a string', 'b must be a number']));
      expect(status).toBe(400);
      expect(json?.error).toEqual({ code: 'validation_error', message: expect.any(String) });
    });

    it('hides an unexpected error behind a 500 with an error id, and logs it with the same id', () => {
      const failure = new Error('relation "links.call_links" does not exist');
      const { status, json } = overHttp(failure);
      expect(status).toBe(500);
      expect(json).toEqual({ error: { code: 'internal_error', message: expect.stringMatching(/error id [0-9a-f-]{36}\)$/) } });
      expect(JSON.stringify(json)).not.toMatch(/relation|call_links|at /);
      const errorId = /error id ([0-9a-f-]{36})/.exec(json!.error.message)![1];
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0][0]).toContain(errorId);
      expect(logged.mock.calls[0][0]).toContain(failure.stack);
    });

    it('gives every unexpected error its own id', () => {
      const first = overHttp(new Error('a')).json!.error.message;
      const second = overHttp(new Error('a')).json!.error.message;
      expect(first).not.toBe(second);
    });

    it.each([
      ['a thrown string', 'boom'],
      ['undefined', undefined],
      ['an object without a status', { message: 'secret' }],
      ['an error whose status is not a number', Object.assign(new Error('x'), { status: '404' })],
    ])('turns %s into a 500 internal_error', (_, thrown) => {
      const { status, json } = overHttp(thrown);
      expect(status).toBe(500);
      expect(json?.error.code).toBe('internal_error');
      expect(json?.error.message).not.toContain('secret');
    });

    it('writes nothing when the response has already started', () => {
      const { response } = overHttp(AppError.notFound('Link'), true);
      expect(response.status).not.toHaveBeenCalled();
      expect(response.json).not.toHaveBeenCalled();
    });
  });

  describe('over messaging', () => {
    const rpcHost = { getType: () => 'rpc' } as unknown as ArgumentsHost;

    it('answers with the bare body as the error of the reply, which the caller rebuilds with its code', async () => {
      const details = [{ field: 'link.rate_per_minute', message: 'too low' }];
      const returned = filter.catch(AppError.validation('The request is not valid', details), rpcHost) as Observable<never>;
      expect(returned).toBeInstanceOf(Observable);
      const body = await firstValueFrom(returned).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(body).toEqual({ code: 'validation_error', message: 'The request is not valid', details });
      expect(AppError.fromBody(JSON.parse(JSON.stringify(body)))?.code).toBe(ErrorCode.ValidationError);
    });

    it('hides unexpected errors there too', async () => {
      const returned = filter.catch(new Error('password authentication failed for user "postgres"'), rpcHost) as Observable<never>;
      const body = (await firstValueFrom(returned).catch((error: unknown) => error)) as ErrorBody;
      expect(body.code).toBe('internal_error');
      expect(body.message).not.toContain('postgres');
    });
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const asBody = <T>(metatype: new () => T) => ({ type: 'body' as const, metatype, data: undefined });

  async function refusal(value: unknown, metatype: new () => object): Promise<AppError> {
    const error = await pipe.transform(value, asBody(metatype)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it('gives back an instance of the DTO for a valid body', async () => {
    const value = await pipe.transform({ rate_per_minute: '2.50', window_size_minutes: 10, label: ' Alex ' }, asBody(CreateLinkRequest));
    expect(value).toBeInstanceOf(CreateLinkRequest);
    expect(value).toMatchObject({ rate_per_minute: '2.50', window_size_minutes: 10, label: 'Alex' });
  });

  it('refuses with a validation_error listing each field and message', async () => {
    const error = await refusal({ rate_per_minute: 2.5, window_size_minutes: 61 }, CreateLinkRequest);
    expect(error.code).toBe(ErrorCode.ValidationError);
    expect(error.message).toBe('The request is not valid');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { field: 'rate_per_minute', message: expect.stringContaining('rate_per_minute') },
        { field: 'window_size_minutes', message: 'window_size_minutes must not be greater than 60' },
      ]),
    );
    expect(error.details).toHaveLength(2);
  });

  it('names unknown fields as errors of their own', async () => {
    const error = await refusal({ rate_per_minute: '2.50', window_size_minutes: 10, currency: 'usd' }, CreateLinkRequest);
    expect(error.details).toEqual([{ field: 'currency', message: 'property currency should not exist' }]);
  });

  it('does not convert a string where a number belongs', async () => {
    const error = await refusal({ rate_per_minute: '2.50', window_size_minutes: '10' }, CreateLinkRequest);
    expect(new Set(error.details?.map((detail) => detail.field))).toEqual(new Set(['window_size_minutes']));
    expect(error.details).toContainEqual({ field: 'window_size_minutes', message: 'window_size_minutes must be a whole number of minutes' });
  });

  it('names nested fields by their path', async () => {
    const actor = { id: '01JN2X4K8M3F7QPZRVWT6YBHCE', role: 'host', username: 'janecoach' };
    const error = await refusal({ actor, link: { rate_per_minute: '0.10', window_size_minutes: 10 } }, CreateLinkMessage);
    expect(error.details).toEqual([{ field: 'link.rate_per_minute', message: expect.any(String) }]);
  });

  describe('what no field may hold (decision 31), before the DTO is looked at', () => {
    const refusedBy = (value: unknown, metadata: Parameters<typeof pipe.transform>[1]) =>
      pipe.transform(value, metadata).then(
        () => undefined,
        (thrown: unknown) => thrown as AppError,
      );

    it('refuses a NUL or an unpaired surrogate in a body, naming the field', async () => {
      expect((await refusal({ rate_per_minute: '2.50', window_size_minutes: 10, label: 'a\u0000' }, CreateLinkRequest)).details).toEqual([
        { field: 'label', message: 'label must not contain the NUL character (U+0000)' },
      ]);
      expect((await refusal({ actor: { id: 'x\ud800' }, link: {} }, CreateLinkMessage)).details).toEqual([{ field: 'actor.id', message: expect.stringContaining('surrogate') }]);
    });

    it('refuses a body nested past the limit before class-transformer walks it', async () => {
      const deep = JSON.parse(`{"label":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
      expect((await refusal(deep, CreateLinkRequest)).details).toEqual([{ field: expect.stringMatching(/^label(\.0)+$/), message: expect.stringContaining('deeper than 32') }]);
    });

    it('checks path parameters and query values too, though no DTO describes them', async () => {
      expect((await refusedBy('ab\u0000', { type: 'param', metatype: String, data: 'shortCode' }))?.details).toEqual([{ field: 'shortCode', message: expect.any(String) }]);
      expect((await refusedBy('a'.repeat(MAX_PATH_PARAMETER_LENGTH + 1), { type: 'param', metatype: String, data: 'username' }))?.details).toEqual([
        { field: 'username', message: `username must be at most ${MAX_PATH_PARAMETER_LENGTH} characters` },
      ]);
      expect(await pipe.transform('a'.repeat(MAX_PATH_PARAMETER_LENGTH), { type: 'param', metatype: String, data: 'username' })).toHaveLength(MAX_PATH_PARAMETER_LENGTH);
      expect((await refusedBy({ status: '\udc00' }, { type: 'query', metatype: Object, data: undefined }))?.details).toEqual([{ field: 'status', message: expect.any(String) }]);
    });

    it('leaves what custom decorators give (the caller, the raw request) alone', async () => {
      expect(await pipe.transform('x\u0000', { type: 'custom', metatype: String, data: undefined })).toBe('x\u0000');
    });
  });

  it('puts only field and message in the details: no echo of the refused value', async () => {
    const error = await refusal({ rate_per_minute: 'secret-looking-value', window_size_minutes: 10 }, CreateLinkRequest);
    for (const detail of error.details ?? []) expect(Object.keys(detail).sort()).toEqual(['field', 'message']);
    expect(JSON.stringify(error.toBody())).not.toContain('secret-looking-value');
  });

  it.each([
    ['a string', '{"rate_per_minute":"2.50"}'],
    ['an array', [{ rate_per_minute: '2.50', window_size_minutes: 10 }]],
    ['a number', 42],
  ])('refuses %s where an object belongs', async (_, value) => {
    expect((await refusal(value, CreateLinkRequest)).code).toBe(ErrorCode.ValidationError);
  });
});
