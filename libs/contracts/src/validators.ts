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

/** Refuses the property when `other` is present too: two ways of saying one thing, only one allowed. */
export function IsAbsentWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAbsentWith',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `send either $property or ${other}, not both`, ...options },
      validator: { validate: (value: unknown, args) => value === undefined || (args?.object as Record<string, unknown>)[other] === undefined },
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

/**
 * Text length counted in Unicode code points, as Postgres counts varchar(n). class-validator's
 * Length skips some combining marks, so a name could pass it and still overflow the column.
 */
export function HasCodePointsBetween(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'hasCodePointsBetween',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be ${min} to ${max} characters`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length >= min && [...value].length <= max,
      },
    });
}

/** An ISO 8601 instant (see ISO_INSTANT) whose date exists in the calendar: no 30 February rolled into March. */
export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 8601 time with a zone, e.g. 2026-03-22T00:00:00Z', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isRealInstant(value) },
    });
}

function isRealInstant(text: string): boolean {
  if (!ISO_INSTANT.test(text) || Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const [hour, minute] = [Number(text.slice(11, 13)), Number(text.slice(14, 16))];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  return calendarDay.getUTCMonth() === month - 1 && calendarDay.getUTCDate() === day && hour < 24 && minute < 60;
}
