import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateLinkRequest } from './links';
import { BookRequest, SlotsQuery } from './scheduling';
import { EARLIEST_INPUT_DATE, LATEST_INPUT_DATE, isWithinInputDates } from './validators';

const refusedFields = <T extends object>(type: new () => T, plain: object) => validateSync(plainToInstance(type, plain)).map((error) => error.property);

describe('input dates between 1970-01-01 and 9999-12-30 (decision 31)', () => {
  it.each([
    [EARLIEST_INPUT_DATE, true],
    [LATEST_INPUT_DATE, true],
    ['1969-12-31', false],
    ['9999-12-31', false],
    ['1970-01-01T00:00:00Z', true],
    ['9999-12-30T23:59:59Z', true],
    ['9999-12-31T00:00:00Z', false],
    // The zone counts: this is 9999-12-31T04:00Z.
    ['9999-12-30T23:00:00-05:00', false],
    ['1970-01-01T00:30:00+01:00', false],
  ])('%s is within: %s', (text, within) => {
    expect(isWithinInputDates(text)).toBe(within);
  });

  it('leaves text that is no date to the format check', () => {
    expect(isWithinInputDates('tomorrow')).toBeUndefined();
    expect(isWithinInputDates('10000-01-01T00:00:00Z')).toBeUndefined();
  });

  it('keeps a booking from ending in the year 10000, naming scheduled_at', () => {
    expect(refusedFields(BookRequest, { host_username: 'jane', scheduled_at: '9999-12-31T23:00:00Z', duration_minutes: 240 })).toEqual(['scheduled_at']);
    expect(refusedFields(BookRequest, { host_username: 'jane', scheduled_at: '9999-12-30T20:00:00Z', duration_minutes: 240 })).toEqual([]);
  });

  it('bounds link expiries and slot ranges alike', () => {
    expect(refusedFields(CreateLinkRequest, { rate_per_minute: '2.50', window_size_minutes: 10, expires_at: '1969-07-20T20:17:00Z' })).toEqual(['expires_at']);
    expect(refusedFields(SlotsQuery, { start_date: '0001-01-01', end_date: '9999-12-31' })).toEqual(['start_date', 'end_date']);
  });
});
