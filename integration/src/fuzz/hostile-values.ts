import fc from 'fast-check';

/** A string of any UTF-16 code units: NULs, lone surrogates, control characters and all. */
const anyCodeUnits = (maxLength: number) => fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) => String.fromCharCode(...units));

/** Text a field may meet from a hostile client (decision 31 refuses the first group wherever it appears). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00y', 'Alex\ud83d', '\udfff\ud800', '%00', '\\u0000'),
  fc.constantFrom('', ' ', '\t\n', '😀', '\u202eevil', 'e\u0301', '\ufeff', "' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '${jndi:x}', 'null', 'NaN'),
  fc.constantFrom(
    '10000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:00:00Z',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2026-02-30T10:00:00Z',
  ),
  fc.constantFrom('10000-01-01', '9999-12-31', '0000-01-01', '0001-01-01', '2026-02-30', '2026-13-01'),
  fc.constantFrom(
    'pm_card_visa',
    'pm_card_chargeDeclined',
    'pm_card_authenticationRequired',
    'pi_unknown',
    'Etc/GMT+14',
    'America/Nowhere',
    'https://x.test/a.png',
    'http://x.test',
  ),
  anyCodeUnits(40),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 200, max: 120_000 }).map((length) => 'x'.repeat(length)),
);

/** Nested arrays this deep (32 is the limit; the 500s of issue 13 came at about 5,000). */
export const nested = (levels: number): unknown => {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
};

/** Any JSON value a field may be sent instead of the one it expects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  fc.constantFrom(-1, 0, -0, 0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 1e-308),
  fc.constantFrom(null, true, false, [], {}, [null], { '': '' }),
  // Deeper ones (5,000 levels) go as raw bodies: JSON.stringify itself recurses.
  fc.integer({ min: 30, max: 1_000 }).map(nested),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A field name a hostile client may send. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra', ''),
  hostileText.filter((text) => text.length < 100),
);

/**
 * A text as it is sent in a URL: percent-encoded as UTF-8, except that a lone surrogate (which
 * UTF-8 cannot carry) is written as the bytes it would have had, which no decoder takes.
 */
export function percentEncode(text: string): string {
  // Iterating a string goes by code point: a well-formed pair comes as one, a lone surrogate alone.
  return [...text]
    .map((char) => {
      const code = char.charCodeAt(0);
      if (char.length > 1 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(char);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

/**
 * Hostile text short enough for a URL: Node refuses a request head over 16 KiB with a bare 431
 * before any application code runs, which is the HTTP server's limit, not an answer of the API.
 */
export const urlText = hostileText.filter((text) => text.length <= 3_000);

/** A path segment a hostile client may send, already encoded: hostile text, or encodings no decoder takes. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  // Fetch resolves `.` and `..` segments before sending, and an empty one routes elsewhere: neither reaches the operation.
  urlText.filter((text) => text !== '' && !/^\.+$/.test(text)).map(percentEncode),
  fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2F', '%252F', `${'a'.repeat(5000)}`, `${'%C3%A9'.repeat(200)}`),
);
