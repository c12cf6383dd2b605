import { SHORT_CODE_PATTERN } from '@vidivo/contracts';
import { SHORT_CODE_LENGTH, newShortCode } from './short-code';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

describe('newShortCode (decision 3: 6 characters of [a-z0-9])', () => {
  const codes = Array.from({ length: 10_000 }, () => newShortCode());

  it('is 6 characters long', () => {
    expect(SHORT_CODE_LENGTH).toBe(6);
    expect(codes.filter((code) => code.length !== 6)).toEqual([]);
  });

  it('uses only a-z and 0-9', () => {
    expect(codes.filter((code) => !/^[a-z0-9]{6}$/.test(code))).toEqual([]);
  });

  it('matches the short-code pattern of the contracts, which the API checks codes against', () => {
    expect(codes.filter((code) => !SHORT_CODE_PATTERN.test(code))).toEqual([]);
  });

  it('gives 10,000 codes that are almost all distinct', () => {
    // 36^6 ≈ 2.2 billion codes: among 10,000 the expected number of collisions is about 0.02.
    expect(new Set(codes).size).toBeGreaterThanOrEqual(9_990);
  });

  it('uses every character of the alphabet, each about equally often, in every position', () => {
    const expectedPerPosition = codes.length / ALPHABET.length; // ≈ 278
    for (let position = 0; position < SHORT_CODE_LENGTH; position++) {
      const counts = new Map<string, number>();
      for (const code of codes) counts.set(code[position], (counts.get(code[position]) ?? 0) + 1);
      expect([...counts.keys()].sort().join('')).toBe([...ALPHABET].sort().join(''));
      // ±50% is more than 8 standard deviations (σ ≈ 16): only a skewed generator falls outside.
      for (const [character, count] of counts) {
        expect({ position, character, tooRare: count < expectedPerPosition * 0.5, tooCommon: count > expectedPerPosition * 1.5 }).toEqual({
          position,
          character,
          tooRare: false,
          tooCommon: false,
        });
      }
    }
  });

  it('does not draw from Math.random: codes must not be guessable', () => {
    const random = jest.spyOn(Math, 'random');
    try {
      for (let i = 0; i < 100; i++) newShortCode();
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });
});
