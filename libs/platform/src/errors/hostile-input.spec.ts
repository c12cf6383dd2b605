import { MAX_INPUT_DEPTH, hostileInputProblems, nestsDeeperThan, textProblem } from './hostile-input';

const nested = (levels: number): unknown => (levels <= 1 ? [] : [nested(levels - 1)]);

describe('hostile input (decision 31)', () => {
  describe('textProblem', () => {
    it.each([
      ['a NUL', 'a\u0000b', /NUL/],
      ['a lone high surrogate', 'Alex\ud83d', /surrogate/],
      ['a lone low surrogate', '\udc00x', /surrogate/],
      ['a low surrogate before a high one', '\udfff\ud800', /surrogate/],
    ])('refuses %s', (_, text, reason) => {
      expect(textProblem(text)).toMatch(reason);
    });

    it.each([
      ['plain text', 'Jane Smith'],
      ['an emoji (a surrogate pair)', 'Alex 😀'],
      ['other control characters', 'a\tb\u0001'],
      ['empty', ''],
      ['the text "\\u0000"', '\\u0000'],
    ])('takes %s', (_, text) => {
      expect(textProblem(text)).toBeUndefined();
    });
  });

  describe('nestsDeeperThan', () => {
    it('counts objects and arrays, not scalars', () => {
      expect(nestsDeeperThan('text')).toBe(false);
      expect(nestsDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
      expect(nestsDeeperThan({ a: { b: [1] } }, 2)).toBe(true);
    });

    it(`allows ${MAX_INPUT_DEPTH} levels and refuses one more, without running out of stack at 100,000`, () => {
      expect(nestsDeeperThan(nested(MAX_INPUT_DEPTH))).toBe(false);
      expect(nestsDeeperThan(nested(MAX_INPUT_DEPTH + 1))).toBe(true);
      expect(nestsDeeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBe(true);
    });
  });

  describe('hostileInputProblems', () => {
    it('names every field that holds bad text, by dotted path, in document order', () => {
      const body = { guest_name: 'A\u0000', weekly: [{ start: '09:00' }, { end: '\ud800' }], fine: 'ok' };
      expect(hostileInputProblems(body).map((problem) => problem.field)).toEqual(['guest_name', 'weekly.1.end']);
    });

    it('names a bare value by its root (a path parameter)', () => {
      expect(hostileInputProblems('ab\u0000', 'shortCode')).toEqual([{ field: 'shortCode', message: 'shortCode must not contain the NUL character (U+0000)' }]);
    });

    it('refuses bad text in a field name without echoing it', () => {
      const [problem] = hostileInputProblems({ ['bad\u0000key']: 1 });
      expect(problem.field).toBe('bad\ufffdkey');
      expect(JSON.stringify(problem)).not.toContain('\\u0000');
    });

    it('names nesting past the limit once, at the first field too deep', () => {
      const problems = hostileInputProblems({ a: nested(MAX_INPUT_DEPTH + 5), b: nested(MAX_INPUT_DEPTH + 5) });
      expect(problems).toHaveLength(1);
      expect(problems[0].field).toMatch(/^a(\.0)+$/);
      expect(problems[0].message).toContain(`deeper than ${MAX_INPUT_DEPTH} levels`);
    });

    it('finds nothing in a well-formed body', () => {
      expect(hostileInputProblems({ rate_per_minute: '2.50', window_size_minutes: 10, label: 'Séance 😀', expires_at: null })).toEqual([]);
    });
  });
});
