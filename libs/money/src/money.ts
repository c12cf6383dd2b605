/** Money travels as decimal strings: answers always with two decimals ("2.50"), requests with zero to two ("7", "7.5", "7.50"); inside it is integer cents (decision 4). */
export type Cents = number;

const USD_AMOUNT = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

/** Parses a decimal string of zero to two decimals into cents ("7" → 700, "7.5" → 750); null for anything else (numbers, "2.505", "1e3", "-1.00", " 2"). */
export function parseCents(value: unknown): Cents | null {
  if (typeof value !== 'string') return null;
  const match = USD_AMOUNT.exec(value);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Formats integer cents as a two-decimal string. */
export function formatCents(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cost of whole minutes at a per-minute rate, in cents. */
export function minutesCost(ratePerMinute: Cents, minutes: number): Cents {
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`not a whole number of minutes: ${minutes}`);
  return ratePerMinute * minutes;
}

/** Billed minutes for a duration: every started minute counts (decision 10). */
export function billedMinutes(durationSeconds: number): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0) throw new RangeError(`bad duration: ${durationSeconds}`);
  return Math.ceil(durationSeconds / 60);
}

/** Per-minute rates a link or a host may charge (decision 4: min 0.50, max 999.99). */
export const RATE_PER_MINUTE_LIMITS = { min: 50, max: 99_999 } as const;

export function isAllowedRate(cents: Cents | null): cents is Cents {
  return cents !== null && cents >= RATE_PER_MINUTE_LIMITS.min && cents <= RATE_PER_MINUTE_LIMITS.max;
}
