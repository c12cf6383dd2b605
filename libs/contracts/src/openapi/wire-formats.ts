import type { ApiPropertyOptions } from '@nestjs/swagger';
import { ULID_PATTERN } from '../validators';

/**
 * How the shared wire formats of decisions 3 and 4 read in the OpenAPI document, so request DTOs
 * and response schemas describe money, times and ids alike. Design-time types of `T | null` fields
 * are `Object`, so every entry names its type.
 */
export const MONEY = {
  type: String,
  pattern: '^\\d+\\.\\d{2}$',
  example: '2.50',
  description: 'USD, a decimal string with exactly two decimals',
} satisfies ApiPropertyOptions;

export const RATE_PER_MINUTE = {
  ...MONEY,
  pattern: '^\\d{1,3}(\\.\\d{1,2})?$',
  description: 'USD per minute, "0.50" to "999.99"; requests may give zero to two decimals ("7", "7.5"), answers always two',
} satisfies ApiPropertyOptions;

export const INSTANT = { type: String, format: 'date-time', example: '2026-03-15T14:00:00Z' } satisfies ApiPropertyOptions;

export const ULID = { type: String, pattern: ULID_PATTERN.source, example: '01JN2X6M0P5H9SRBTXY8ZDKEFG' } satisfies ApiPropertyOptions;
