import { ValidationOptions, registerDecorator } from 'class-validator';
import { isAllowedRate, parseCents } from '@vidivo/money';

/** A per-minute rate: a string with exactly two decimals between 0.50 and 999.99 (decision 4). */
export function IsRatePerMinute(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRatePerMinute',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be a string with two decimals between "0.50" and "999.99"',
        ...options,
      },
      validator: { validate: (value: unknown) => isAllowedRate(parseCents(value)) },
    });
}

/** An ISO 8601 instant with an explicit zone (Z or ±hh:mm), as our times are. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Times leave the system as ISO 8601 UTC with Z and second precision (decision 3). */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toIsoSecondsOrNull(date: Date | null): string | null {
  return date ? toIsoSeconds(date) : null;
}

/** Crockford base32, 26 characters: the shape of every id we hand out (decision 3). */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
