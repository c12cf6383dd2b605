import { billedMinutes, formatCents, isAllowedRate, minutesCost, parseCents } from './money';

describe('parseCents', () => {
  it.each([
    ['0.00', 0],
    ['0.50', 50],
    ['2.50', 250],
    ['999.99', 99_999],
    ['1000.00', 100_000],
    // Requests may give fewer decimals (decision 4).
    ['7', 700],
    ['7.5', 750],
    ['0.5', 50],
  ])('reads %s as %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each([[2.5], ['2.505'], ['2.'], ['.5'], ['-1.00'], ['01.00'], ['07'], ['1e3'], [' 2.50'], ['2.50 '], ['2,50'], [''], [null], [undefined], ['99999999999999999.00']])(
    'refuses %p',
    (value) => {
      expect(parseCents(value)).toBeNull();
    },
  );
});

describe('formatCents', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [250, '2.50'],
    [2000, '20.00'],
    [99_999, '999.99'],
    [-150, '-1.50'],
  ])('writes %d cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('refuses fractions of a cent', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount up to 1000.00', () => {
    for (let cents = 0; cents <= 100_000; cents += 7) expect(parseCents(formatCents(cents))).toBe(cents);
  });
});

describe('billing arithmetic', () => {
  it('bills every started minute (decision 10: 450 s is 8 minutes)', () => {
    expect(billedMinutes(0)).toBe(0);
    expect(billedMinutes(1)).toBe(1);
    expect(billedMinutes(60)).toBe(1);
    expect(billedMinutes(61)).toBe(2);
    expect(billedMinutes(450)).toBe(8);
  });

  it("charges 8 minutes at 2.50 as 20.00, not the document's 16.00", () => {
    expect(formatCents(minutesCost(parseCents('2.50')!, billedMinutes(450)))).toBe('20.00');
  });

  it('refuses negative or fractional minutes', () => {
    expect(() => minutesCost(100, -1)).toThrow(RangeError);
    expect(() => minutesCost(100, 1.5)).toThrow(RangeError);
    expect(() => billedMinutes(-1)).toThrow(RangeError);
  });

  it('allows rates from 0.50 to 999.99 only', () => {
    expect(isAllowedRate(49)).toBe(false);
    expect(isAllowedRate(50)).toBe(true);
    expect(isAllowedRate(99_999)).toBe(true);
    expect(isAllowedRate(100_000)).toBe(false);
    expect(isAllowedRate(null)).toBe(false);
  });
});
