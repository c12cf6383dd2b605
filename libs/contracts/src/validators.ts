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

/**
 * The dates an input may name (decision 31), as calendar dates: from the Unix epoch to the day
 * before the last of year 9999. The day of margin keeps what is derived from an input (a
 * booking's end, 240 minutes on; a day's slots in a zone 14 hours off) inside year 9999, which
 * is as far as ISO 8601's four-digit years, our wire format and the .ics writer go.
 */
export const EARLIEST_INPUT_DATE = '1970-01-01';
export const LATEST_INPUT_DATE = '9999-12-30';
const EARLIEST_INPUT_MS = Date.parse(`${EARLIEST_INPUT_DATE}T00:00:00Z`);
const AFTER_LATEST_INPUT_MS = Date.parse(`${LATEST_INPUT_DATE}T00:00:00Z`) + 24 * 3600 * 1000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a calendar date (2026-03-15) or an instant (ISO_INSTANT) lies between
 * EARLIEST_INPUT_DATE and LATEST_INPUT_DATE; undefined for text that is neither, which the
 * format's own check refuses.
 */
export function isWithinInputDates(text: string): boolean | undefined {
  if (DATE_ONLY.test(text)) return text >= EARLIEST_INPUT_DATE && text <= LATEST_INPUT_DATE;
  const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms >= EARLIEST_INPUT_MS && ms < AFTER_LATEST_INPUT_MS;
}

/** A date or instant between EARLIEST_INPUT_DATE and LATEST_INPUT_DATE; a value of another shape is left to the format's own check. */
export function IsWithinInputDates(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWithinInputDates',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be between ${EARLIEST_INPUT_DATE} and ${LATEST_INPUT_DATE}`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || isWithinInputDates(value) !== false },
    });
}
