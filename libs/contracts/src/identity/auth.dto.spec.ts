import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { GuestRequest, LoginRequest, PUBLIC_ROLES, RefreshRequest, RegisterRequest, USERNAME_PATTERN } from './auth.dto';
import { UpdateMeMessage, UserIdMessage, UsernameMessage } from './identity.messages';
import { UpdateMeRequest } from './users.dto';

/** The options of the platform's validation pipe (libs/platform/src/errors/validation.pipe.ts). */
const PIPE_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
} as const;

function fieldsOf(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    return [...(Object.keys(error.constraints ?? {}).length ? [field] : []), ...fieldsOf(error.children ?? [], field)];
  });
}

async function check<T extends object>(type: ClassConstructor<T>, body: unknown) {
  const value = plainToInstance<T, unknown>(type, body, { enableImplicitConversion: false });
  const errors = await validate(value, PIPE_OPTIONS);
  const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  return { value, messages, fields: [...new Set(fieldsOf(errors))].sort() };
}

const invalid = async <T extends object>(type: ClassConstructor<T>, body: Record<string, unknown>) => (await check(type, body)).fields;

/** Decision 7's register body, as in the README's example. */
const registration = {
  email: 'jane@example.com',
  password: 'long enough',
  username: 'janecoach',
  display_name: 'Jane Smith',
  role: 'host',
};

/** A string of `count` characters that is 2 × `count` code points: "❤️" is U+2764 U+FE0F, as phone keyboards send it. */
const heartsWithVariationSelectors = (count: number) => '\u2764\uFE0F'.repeat(count);

describe('RegisterRequest (decision 7)', () => {
  const register = (changes: Record<string, unknown>) => invalid(RegisterRequest, { ...registration, ...changes });

  it('accepts the documented registration', async () => {
    const { value, fields } = await check(RegisterRequest, registration);
    expect(fields).toEqual([]);
    expect({ ...value }).toEqual(registration);
  });

  it('reports every missing required field', async () => {
    expect(await invalid(RegisterRequest, {})).toEqual(['display_name', 'email', 'password', 'username']);
  });

  describe('email', () => {
    it.each(['a@b.co', 'jane.smith+coach@example.com', 'JANE@EXAMPLE.COM'])('accepts %p', async (email) => {
      expect(await register({ email })).toEqual([]);
    });

    it('is trimmed and lower-cased, so one address cannot register twice in two spellings', async () => {
      const { value, fields } = await check(RegisterRequest, { ...registration, email: '  Jane@Example.COM ' });
      expect(fields).toEqual([]);
      expect(value.email).toBe('jane@example.com');
    });

    it.each([
      ['no at sign', 'jane.example.com'],
      ['no domain', 'jane@'],
      ['no local part', '@example.com'],
      ['no top-level domain', 'jane@example'],
      ['a space inside', 'jane smith@example.com'],
      ['empty', ''],
      ['only spaces', '   '],
      ['a number', 42],
      ['null', null],
      ['longer than 254 characters', `${'a'.repeat(64)}@${['b', 'c', 'd', 'e'].map((c) => c.repeat(60)).join('.')}.com`],
    ])('refuses %s', async (_, email) => {
      expect(await register({ email })).toEqual(['email']);
    });

    it('says what is wrong with it', async () => {
      expect((await check(RegisterRequest, { ...registration, email: 'nope' })).messages).toContain('email must be a valid email address');
    });
  });

  describe('password (at least 8 characters)', () => {
    it.each([
      ['exactly 8 characters', '12345678'],
      ['200 characters', 'p'.repeat(200)],
      ['spaces and symbols', 'a b c d !?'],
    ])('accepts %s', async (_, password) => {
      expect(await register({ password })).toEqual([]);
    });

    it.each([
      ['7 characters', '1234567'],
      ['empty', ''],
      ['over 200 characters', 'p'.repeat(201)],
      ['a number', 12_345_678],
      ['null', null],
    ])('refuses %s', async (_, password) => {
      expect(await register({ password })).toEqual(['password']);
    });

    it('is kept exactly as typed: never trimmed or case-folded', async () => {
      const { value } = await check(RegisterRequest, { ...registration, password: '  Long Enough  ' });
      expect(value.password).toBe('  Long Enough  ');
    });
  });

  describe('username ([a-z0-9_]{3,30})', () => {
    it.each(['abc', 'jane_coach', 'j4ne', '___', '123', 'a'.repeat(30)])('accepts %p', async (username) => {
      expect(await register({ username })).toEqual([]);
    });

    it.each([
      ['2 characters', 'ab'],
      ['31 characters', 'a'.repeat(31)],
      ['capital letters', 'JaneCoach'],
      ['a hyphen', 'jane-coach'],
      ['a dot', 'jane.coach'],
      ['a space', 'jane coach'],
      ['a surrounding space', ' janecoach'],
      ['an accented letter', 'janécoach'],
      ['an at sign', '@janecoach'],
      ['empty', ''],
      ['a number', 12345],
      ['null', null],
    ])('refuses %s', async (_, username) => {
      expect(await register({ username })).toEqual(['username']);
    });

    it('follows the pattern the database checks', () => {
      expect(USERNAME_PATTERN.source).toBe('^[a-z0-9_]{3,30}$');
    });
  });

  describe('display_name (1 to 100 characters, trimmed)', () => {
    it.each([
      ['one character', 'J'],
      ['100 characters', 'x'.repeat(100)],
      ['non-Latin script', 'Иван Петров'],
    ])('accepts %s', async (_, displayName) => {
      expect(await register({ display_name: displayName })).toEqual([]);
    });

    it('is trimmed', async () => {
      const { value } = await check(RegisterRequest, { ...registration, display_name: '  Jane Smith\t' });
      expect(value.display_name).toBe('Jane Smith');
    });

    it.each([
      ['empty', ''],
      ['only spaces', '    '],
      ['101 characters', 'x'.repeat(101)],
      ['a number', 7],
      ['null', null],
    ])('refuses %s', async (_, displayName) => {
      expect(await register({ display_name: displayName })).toEqual(['display_name']);
    });

    it('counts characters as the database column does: 100 "❤️" are 200 code points, too long for varchar(100)', async () => {
      expect(await register({ display_name: heartsWithVariationSelectors(100) })).toEqual(['display_name']);
    });
  });

  describe('role (optional: "user" or "host")', () => {
    it.each([...PUBLIC_ROLES])('accepts %p', async (role) => {
      expect(await register({ role })).toEqual([]);
    });

    it('may be left out (the account is then a user)', async () => {
      const { role: _, ...withoutRole } = registration;
      expect(await invalid(RegisterRequest, withoutRole)).toEqual([]);
    });

    it.each([
      ['admin: admins come from configuration only', 'admin'],
      ['guest', 'guest'],
      ['a capitalised role', 'Host'],
      ['an unknown role', 'owner'],
      ['an empty string', ''],
      ['a list of roles', ['host']],
    ])('refuses %s', async (_, role) => {
      expect(await register({ role })).toEqual(['role']);
    });

    it('allows only user and host publicly', () => {
      expect([...PUBLIC_ROLES]).toEqual(['user', 'host']);
    });
  });

  it.each([
    ['a field the API does not have', { is_admin: true }],
    ['an id chosen by the client', { id: '01JN2X4K8M3F7QPZRVWT6YBHCE' }],
    ['a password hash', { password_hash: '$argon2id$...' }],
    ['avatar_url (set later with PATCH /v1/users/me)', { avatar_url: 'https://cdn.example.com/a.jpg' }],
  ])('refuses %s', async (_, extra) => {
    const { fields, messages } = await check(RegisterRequest, { ...registration, ...extra });
    const [field] = Object.keys(extra);
    expect(fields).toEqual([field]);
    expect(messages).toEqual([`property ${field} should not exist`]);
  });
});

describe('LoginRequest', () => {
  const login = { email: 'jane@example.com', password: 'long enough' };

  it('accepts an email and a password', async () => {
    expect(await invalid(LoginRequest, login)).toEqual([]);
  });

  it('lower-cases and trims the email, as registration stored it', async () => {
    const { value } = await check(LoginRequest, { ...login, email: ' JANE@example.com ' });
    expect(value.email).toBe('jane@example.com');
  });

  it('leaves the password untouched', async () => {
    const { value } = await check(LoginRequest, { ...login, password: ' Long Enough ' });
    expect(value.password).toBe(' Long Enough ');
  });

  it('reports both fields when they are missing', async () => {
    expect(await invalid(LoginRequest, {})).toEqual(['email', 'password']);
  });

  it.each([
    ['an email that is not a string', { email: 42 }, 'email'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@x.io` }, 'email'],
    ['a password that is not a string', { password: 12_345_678 }, 'password'],
    ['a password over 200 characters', { password: 'p'.repeat(201) }, 'password'],
    ['an unknown field', { remember_me: true }, 'remember_me'],
  ])('refuses %s', async (_, changes, field) => {
    expect(await invalid(LoginRequest, { ...login, ...changes })).toEqual([field]);
  });
});

describe('RefreshRequest', () => {
  it('accepts a refresh token', async () => {
    expect(await invalid(RefreshRequest, { refresh_token: 'rt_0123456789abcdef' })).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['over 200 characters', 'r'.repeat(201)],
    ['a number', 123],
    ['null', null],
  ])('refuses a token that is %s', async (_, token) => {
    expect(await invalid(RefreshRequest, { refresh_token: token })).toEqual(['refresh_token']);
  });

  it('refuses anything besides the token', async () => {
    expect(await invalid(RefreshRequest, { refresh_token: 'rt_x', access_token: 'eyJ' })).toEqual(['access_token']);
  });
});

describe('GuestRequest', () => {
  it('accepts an empty body: both fields are optional', async () => {
    expect(await invalid(GuestRequest, {})).toEqual([]);
  });

  it('accepts a display name and an email, trimming both and lower-casing the email', async () => {
    const { value, fields } = await check(GuestRequest, { display_name: '  Alex ', email: ' Alex@Example.com' });
    expect(fields).toEqual([]);
    expect(value).toMatchObject({ display_name: 'Alex', email: 'alex@example.com' });
  });

  it.each([
    ['an empty display name', { display_name: '' }, 'display_name'],
    ['a blank display name', { display_name: '   ' }, 'display_name'],
    ['a display name over 100 characters', { display_name: 'x'.repeat(101) }, 'display_name'],
    ['a display name that is not a string', { display_name: 5 }, 'display_name'],
    ['an invalid email', { email: 'alex' }, 'email'],
    ['an email that is not a string', { email: ['alex@example.com'] }, 'email'],
    ['a role (guests are always guests)', { role: 'host' }, 'role'],
    ['a password (guests have none)', { password: 'long enough' }, 'password'],
  ])('refuses %s', async (_, body, field) => {
    expect(await invalid(GuestRequest, body)).toEqual([field]);
  });
});

describe('UpdateMeRequest (PATCH /v1/users/me)', () => {
  it('accepts an empty patch', async () => {
    expect(await invalid(UpdateMeRequest, {})).toEqual([]);
  });

  it('accepts all three fields together', async () => {
    const body = { display_name: 'Jane S.', avatar_url: 'https://cdn.vidivo.app/avatars/01JN2X4K.jpg', timezone: 'Europe/Berlin' };
    const { value, fields } = await check(UpdateMeRequest, body);
    expect(fields).toEqual([]);
    expect({ ...value }).toEqual(body);
  });

  describe('display_name', () => {
    it('is trimmed', async () => {
      expect((await check(UpdateMeRequest, { display_name: ' Jane ' })).value.display_name).toBe('Jane');
    });

    it.each([
      ['empty', ''],
      ['blank', '  '],
      ['over 100 characters', 'x'.repeat(101)],
      ['not a string', 1],
    ])('refuses one that is %s', async (_, displayName) => {
      expect(await invalid(UpdateMeRequest, { display_name: displayName })).toEqual(['display_name']);
    });

    it('cannot be cleared with null: every account has a display name (the column is NOT NULL)', async () => {
      expect(await invalid(UpdateMeRequest, { display_name: null })).toEqual(['display_name']);
    });

    it('counts characters as the database column does', async () => {
      expect(await invalid(UpdateMeRequest, { display_name: heartsWithVariationSelectors(100) })).toEqual(['display_name']);
    });
  });

  describe('avatar_url (https only; null clears it)', () => {
    it.each([
      ['an https URL', 'https://cdn.vidivo.app/avatars/01JN2X4K.jpg'],
      ['an https URL with a query', 'https://images.example.com/a.png?size=200'],
      ['null', null],
    ])('accepts %s', async (_, avatarUrl) => {
      expect(await invalid(UpdateMeRequest, { avatar_url: avatarUrl })).toEqual([]);
    });

    it.each([
      ['plain http', 'http://cdn.vidivo.app/a.jpg'],
      ['no protocol', 'cdn.vidivo.app/a.jpg'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a data: URL', 'data:image/png;base64,AAAA'],
      ['a host without a domain', 'https://localhost/a.jpg'],
      ['not a URL', 'my avatar'],
      ['longer than 2048 characters', `https://cdn.vidivo.app/${'a'.repeat(2048)}.jpg`],
      ['a number', 5],
    ])('refuses %s', async (_, avatarUrl) => {
      expect(await invalid(UpdateMeRequest, { avatar_url: avatarUrl })).toEqual(['avatar_url']);
    });

    it('says it must be https', async () => {
      expect((await check(UpdateMeRequest, { avatar_url: 'http://x.com/a.jpg' })).messages).toContain('avatar_url must be an https URL');
    });
  });

  describe('timezone (IANA; null clears it)', () => {
    it.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', null])('accepts %p', async (timezone) => {
      expect(await invalid(UpdateMeRequest, { timezone })).toEqual([]);
    });

    it.each([
      ['an unknown zone', 'Mars/Olympus_Mons'],
      ['an offset', '+01:00'],
      ['a city without its region', 'Berlin'],
      ['an empty string', ''],
      ['a number', 1],
    ])('refuses %s', async (_, timezone) => {
      expect(await invalid(UpdateMeRequest, { timezone })).toEqual(['timezone']);
    });
  });

  it.each([
    ['the role', { role: 'admin' }],
    ['the email', { email: 'new@example.com' }],
    ['the username', { username: 'newname' }],
  ])('refuses a change to %s', async (_, body) => {
    expect(await invalid(UpdateMeRequest, body)).toEqual(Object.keys(body));
  });
});

describe('identity messages', () => {
  const actor = { id: '01JN2X4K8M3F7QPZRVWT6YBHCE', role: 'user', username: 'janecoach' };

  it('UpdateMeMessage validates the changes on arrival, with their path', async () => {
    expect((await check(UpdateMeMessage, { actor, changes: { avatar_url: 'http://x.com/a.jpg' } })).fields).toEqual(['changes.avatar_url']);
    expect((await check(UpdateMeMessage, { actor, changes: { role: 'admin' } })).fields).toEqual(['changes.role']);
  });

  it('UpdateMeMessage refuses a message without changes', async () => {
    expect((await check(UpdateMeMessage, { actor })).fields).toEqual(['changes']);
  });

  it('UserIdMessage wants a 26-character id', async () => {
    expect(await invalid(UserIdMessage, { user_id: actor.id })).toEqual([]);
    expect(await invalid(UserIdMessage, { user_id: actor.id.slice(1) })).toEqual(['user_id']);
  });

  it('UsernameMessage takes any name-sized string: a name no account could have is a 404, not a 400', async () => {
    expect(await invalid(UsernameMessage, { username: 'janecoach' })).toEqual([]);
    expect(await invalid(UsernameMessage, { username: 'Jane-Coach' })).toEqual([]);
    expect(await invalid(UsernameMessage, { username: 'x'.repeat(101) })).toEqual(['username']);
    expect(await invalid(UsernameMessage, { username: 42 })).toEqual(['username']);
  });
});
