import { AppError } from '@vidivo/platform';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('idempotency keys', () => {
  describe('parseIdempotencyKey', () => {
    it.each(['a', 'k'.repeat(255), 'with spaces and ~!@#$%^&*()', '550e8400-e29b-41d4-a716-446655440000'])('accepts %p', (key) => {
      expect(parseIdempotencyKey(key)).toBe(key);
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['a tab', 'a\tb'],
      ['a newline', 'a\nb'],
      ['DEL', 'a\x7fb'],
      ['non-ASCII', 'clé'],
    ])('refuses %s with a validation_error naming the header', (_, key) => {
      let thrown: unknown;
      try {
        parseIdempotencyKey(key);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).toBody()).toMatchObject({ code: 'validation_error', details: [{ field: 'X-Idempotency-Key' }] });
    });
  });

  describe('canonicalJson', () => {
    it('sorts object keys at every level and keeps array order', () => {
      expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    });

    it('treats an absent body as null and drops undefined fields as JSON does', () => {
      expect(canonicalJson(undefined)).toBe('null');
      expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
      expect(canonicalJson([undefined])).toBe('[null]');
    });

    it('escapes keys and strings as JSON', () => {
      expect(canonicalJson({ 'a"b': 'line\nbreak' })).toBe('{"a\\"b":"line\\nbreak"}');
    });
  });

  describe('requestFingerprint', () => {
    const hashOf = (fingerprint: string) => fingerprint.split(' ')[2];

    it('is method, path and a SHA-256 of the canonical body', () => {
      expect(requestFingerprint('post', '/v1/calls/links', { a: 1 })).toMatch(/^POST \/v1\/calls\/links [0-9a-f]{64}$/);
    });

    it('ignores key order and the query string', () => {
      expect(requestFingerprint('POST', '/v1/x?page=2', { a: 1, b: 2 })).toBe(requestFingerprint('POST', '/v1/x', { b: 2, a: 1 }));
    });

    it('fingerprints an absolute-form target by its path', () => {
      expect(requestFingerprint('POST', 'http://example.com/v1/x?y=1', {})).toBe(requestFingerprint('POST', '/v1/x', {}));
    });

    it('differs when the body or the path differs', () => {
      expect(hashOf(requestFingerprint('POST', '/v1/x', { a: 1 }))).not.toBe(hashOf(requestFingerprint('POST', '/v1/x', { a: 2 })));
      expect(requestFingerprint('POST', '/v1/x', {})).not.toBe(requestFingerprint('POST', '/v1/y', {}));
    });
  });
});
