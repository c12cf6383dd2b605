import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { CreateLinkRequest, MAX_LINK_USES } from './links.dto';
import { CreateLinkMessage } from './links.messages';

/** The options of the platform's validation pipe (libs/platform/src/errors/validation.pipe.ts). */
const PIPE_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
} as const;

interface Problem {
  field: string;
  constraint: string;
  message: string;
}

/** Dotted field paths, as the pipe reports them in the envelope's details. */
function problemsOf(errors: ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, constraint, message }));
    return [...own, ...problemsOf(error.children ?? [], field)];
  });
}

async function check<T extends object>(type: ClassConstructor<T>, body: unknown) {
  const value = plainToInstance<T, unknown>(type, body, { enableImplicitConversion: false });
  const problems = problemsOf(await validate(value, PIPE_OPTIONS));
  return { value, problems, fields: [...new Set(problems.map((problem) => problem.field))].sort() };
}

const invalidFields = async (body: Record<string, unknown>) => (await check(CreateLinkRequest, body)).fields;

const minimal = { rate_per_minute: '2.50', window_size_minutes: 10 };
/** A request with every field (CreateLinkRequest in docs/api/README.md). */
const documented = {
  rate_per_minute: '2.50',
  window_size_minutes: 10,
  expires_at: '2026-03-22T00:00:00Z',
  max_uses: 1,
  label: 'Session with Alex',
};

describe('CreateLinkRequest', () => {
  it('accepts the request of the API document', async () => {
    const { value, problems } = await check(CreateLinkRequest, documented);
    expect(problems).toEqual([]);
    expect(value).toBeInstanceOf(CreateLinkRequest);
    expect({ ...value }).toEqual(documented);
  });

  it('accepts the two required fields alone', async () => {
    expect(await invalidFields(minimal)).toEqual([]);
  });

  it('reports every missing required field', async () => {
    expect(await invalidFields({})).toEqual(['rate_per_minute', 'window_size_minutes']);
  });

  describe('rate_per_minute (decision 4: a two-decimal string between 0.50 and 999.99)', () => {
    it.each(['0.50', '0.51', '1.00', '2.50', '999.98', '999.99'])('accepts %p', async (rate) => {
      expect(await invalidFields({ ...minimal, rate_per_minute: rate })).toEqual([]);
    });

    it.each([
      ['below the minimum', '0.49'],
      ['zero', '0.00'],
      ['above the maximum', '1000.00'],
      ['negative', '-1.00'],
      ['three decimals', '2.505'],
      ['a point without decimals', '2.'],
      ['a leading zero', '02.50'],
      ['exponent notation', '1e3'],
      ['a decimal comma', '2,50'],
      ['surrounding space', ' 2.50'],
      ['a currency sign', '$2.50'],
      ['an empty string', ''],
    ])('refuses %s (%p)', async (_, rate) => {
      expect(await invalidFields({ ...minimal, rate_per_minute: rate })).toEqual(['rate_per_minute']);
    });

    it.each([
      ['a number', 2.5],
      ['whole cents as a number', 250],
      ['null', null],
      ['a boolean', true],
      ['an array', ['2.50']],
      ['an object', { amount: '2.50' }],
    ])('refuses %s instead of a string', async (_, rate) => {
      expect(await invalidFields({ ...minimal, rate_per_minute: rate })).toEqual(['rate_per_minute']);
    });

    it('says what a valid rate looks like', async () => {
      const { problems } = await check(CreateLinkRequest, { ...minimal, rate_per_minute: '1000.00' });
      expect(problems).toEqual([{ field: 'rate_per_minute', constraint: 'isRatePerMinute', message: expect.stringMatching(/"0\.50".*"999\.99"/) }]);
    });
  });

  describe('window_size_minutes (a whole number of minutes, 1 to 60)', () => {
    it.each([1, 2, 30, 59, 60])('accepts %p', async (minutes) => {
      expect(await invalidFields({ ...minimal, window_size_minutes: minutes })).toEqual([]);
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['above 60', 61],
      ['far above 60', 1_000],
      ['fractional', 1.5],
      ['fractional near the top', 59.9],
      ['a numeric string', '10'],
      ['null', null],
      ['a boolean', true],
      ['an array', [10]],
    ])('refuses %s (%p)', async (_, minutes) => {
      expect(await invalidFields({ ...minimal, window_size_minutes: minutes })).toEqual(['window_size_minutes']);
    });

    it('explains a fractional window in minutes', async () => {
      const { problems } = await check(CreateLinkRequest, { ...minimal, window_size_minutes: 2.5 });
      expect(problems.map((problem) => problem.message)).toContain('window_size_minutes must be a whole number of minutes');
    });
  });

  describe('expires_at (optional ISO 8601 instant with a zone; null = never)', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['UTC with seconds', '2026-03-22T00:00:00Z'],
      ['UTC without seconds', '2026-03-22T00:00Z'],
      ['milliseconds', '2026-03-22T00:00:00.500Z'],
      ['nanoseconds', '2026-03-22T00:00:00.123456789Z'],
      ['a positive offset', '2026-03-22T02:30:00+02:00'],
      ['a negative offset', '2026-03-21T19:00:00-05:00'],
    ])('accepts %s', async (_, expiresAt) => {
      expect(await invalidFields({ ...minimal, expires_at: expiresAt })).toEqual([]);
    });

    it.each([
      ['a date without a time', '2026-03-22'],
      ['a time without a zone', '2026-03-22T00:00:00'],
      ['a space instead of T', '2026-03-22 00:00:00Z'],
      ['an offset without a colon', '2026-03-22T00:00:00+0200'],
      ['a local date format', '22/03/2026'],
      ['an RFC 2822 date', 'Sun, 22 Mar 2026 00:00:00 GMT'],
      ['words', 'tomorrow'],
      ['an empty string', ''],
      ['too many fraction digits', '2026-03-22T00:00:00.1234567891Z'],
      ['epoch milliseconds', 1_774_137_600_000],
      ['a boolean', true],
      ['an object', { at: '2026-03-22T00:00:00Z' }],
    ])('refuses %s', async (_, expiresAt) => {
      expect(await invalidFields({ ...minimal, expires_at: expiresAt })).toEqual(['expires_at']);
    });

    it('shows an example of the expected format when it refuses one', async () => {
      const { problems } = await check(CreateLinkRequest, { ...minimal, expires_at: '2026-03-22' });
      expect(problems).toEqual([{ field: 'expires_at', constraint: 'isIsoInstant', message: expect.stringContaining('2026-03-22T00:00:00Z') }]);
    });

    it('refuses a day that does not exist in the calendar (Feb 30) instead of rolling it into March', async () => {
      // new Date('2026-02-30T00:00:00Z') is 2026-03-02: the service would store a different day than asked for.
      expect(await invalidFields({ ...minimal, expires_at: '2026-02-30T00:00:00Z' })).toEqual(['expires_at']);
    });

    it('checks the format only: "not in the past" depends on the clock and is decided once, by the links service', async () => {
      // Payloads are re-validated on arrival in the links app; a clock rule here could pass at the gateway
      // and fail a moment later. apps/links/src/links/links.service.ts refuses past times with one `now`.
      expect(await invalidFields({ ...minimal, expires_at: '2001-01-01T00:00:00Z' })).toEqual([]);
    });
  });

  describe('max_uses (optional whole number; null = unlimited)', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['one', 1],
      ['two', 2],
      ['the maximum', MAX_LINK_USES],
    ])('accepts %s', async (_, maxUses) => {
      expect(await invalidFields({ ...minimal, max_uses: maxUses })).toEqual([]);
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['fractional', 1.5],
      ['above the maximum', MAX_LINK_USES + 1],
      ['beyond a Postgres integer', 2 ** 31],
      ['a numeric string', '1'],
      ['a boolean', true],
    ])('refuses %s (%p)', async (_, maxUses) => {
      expect(await invalidFields({ ...minimal, max_uses: maxUses })).toEqual(['max_uses']);
    });

    it('caps uses at a million', () => {
      expect(MAX_LINK_USES).toBe(1_000_000);
    });
  });

  describe('label (optional, at most 120 characters)', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
      ['one character', 'x'],
      ['120 characters', 'a'.repeat(120)],
      ['120 characters once trimmed', `  ${'a'.repeat(120)}  `],
      ['120 astral characters (each one character, two UTF-16 units)', '😀'.repeat(120)],
    ])('accepts %s', async (_, label) => {
      expect(await invalidFields({ ...minimal, label })).toEqual([]);
    });

    it.each([
      ['121 characters', 'a'.repeat(121)],
      ['121 characters inside spaces', ` ${'a'.repeat(121)} `],
      ['a number', 5],
      ['an array', ['label']],
      ['an object', { text: 'label' }],
    ])('refuses %s', async (_, label) => {
      expect(await invalidFields({ ...minimal, label })).toEqual(['label']);
    });

    it('is trimmed before it is checked and kept', async () => {
      const { value, problems } = await check(CreateLinkRequest, { ...minimal, label: '  Session with Alex \n' });
      expect(problems).toEqual([]);
      expect(value.label).toBe('Session with Alex');
    });
  });

  describe('unknown fields', () => {
    it.each([
      ['a field the API does not have', { currency: 'usd' }],
      ['the owner (host_id)', { host_id: '01JN2X4K8M3F7QPZRVWT6YBHCE' }],
      ['server-kept counters (use_count)', { use_count: 0 }],
      ['the active flag', { is_active: true }],
      ['the short code', { short_code: 'abc123' }],
      ['a camelCase spelling of a real field', { windowSizeMinutes: 10 }],
    ])('refuses %s', async (_, extra) => {
      const { problems } = await check(CreateLinkRequest, { ...minimal, ...extra });
      const [field] = Object.keys(extra);
      expect(problems).toEqual([{ field, constraint: 'whitelistValidation', message: `property ${field} should not exist` }]);
    });

    it('refuses each unknown field separately, alongside real errors', async () => {
      expect(await invalidFields({ ...minimal, window_size_minutes: 0, a: 1, b: 2 })).toEqual(['a', 'b', 'window_size_minutes']);
    });
  });

  it('converts nothing implicitly: strings stay strings and are refused where numbers belong', async () => {
    const { value, fields } = await check(CreateLinkRequest, { rate_per_minute: '2.50', window_size_minutes: '10', max_uses: '5' });
    expect(fields).toEqual(['max_uses', 'window_size_minutes']);
    expect(value.window_size_minutes).toBe('10');
    expect(value.max_uses).toBe('5');
  });
});

describe('CreateLinkMessage (what the gateway sends to the links app)', () => {
  const actor = { id: '01JN2X4K8M3F7QPZRVWT6YBHCE', role: 'host', username: 'janecoach' };

  it('accepts an actor and a valid link', async () => {
    const { value, problems } = await check(CreateLinkMessage, { actor, link: documented });
    expect(problems).toEqual([]);
    expect(value.link).toBeInstanceOf(CreateLinkRequest);
  });

  it('re-validates the link on arrival, naming nested fields with their path', async () => {
    expect((await check(CreateLinkMessage, { actor, link: { ...documented, rate_per_minute: 2.5 } })).fields).toEqual(['link.rate_per_minute']);
  });

  it('refuses unknown fields inside the link too', async () => {
    expect((await check(CreateLinkMessage, { actor, link: { ...documented, host_id: actor.id } })).fields).toEqual(['link.host_id']);
  });

  // class-validator's @ValidateNested() skips undefined, so only a presence rule catches these.
  it('refuses a message without a link', async () => {
    expect((await check(CreateLinkMessage, { actor })).fields).toEqual(['link']);
  });

  it('refuses a message without an actor', async () => {
    expect((await check(CreateLinkMessage, { link: documented })).fields).toEqual(['actor']);
  });

  it.each([
    ['null', null],
    ['a string', 'link'],
  ])('refuses a link that is %s', async (_, link) => {
    expect((await check(CreateLinkMessage, { actor, link })).fields).toEqual(['link']);
  });

  it.each([
    ['an id that is not 26 characters', { ...actor, id: 'abc' }, 'actor.id'],
    ['an unknown role', { ...actor, role: 'owner' }, 'actor.role'],
    ['a username that is not a string', { ...actor, username: 42 }, 'actor.username'],
  ])('refuses an actor with %s', async (_, badActor, field) => {
    expect((await check(CreateLinkMessage, { actor: badActor, link: documented })).fields).toEqual([field]);
  });

  it('accepts an actor without a username (guests have none)', async () => {
    expect((await check(CreateLinkMessage, { actor: { ...actor, role: 'guest', username: null }, link: documented })).fields).toEqual([]);
  });
});
