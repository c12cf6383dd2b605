import { Injectable } from '@nestjs/common';
import { Actor, AvailabilityDto, SlotsQuery, SlotsResponse } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import { BookingsRepository } from '../bookings/bookings.repository';
import { MAX_RANGE_DAYS, daysInRange, isCalendarDate, slotsFor } from '../domain/availability';
import { IdentityClient } from '../identity/identity.client';
import { AvailabilityRepository } from './availability.repository';
import { assertHost } from './host-role.policy';

const DAY_MS = 24 * 3600 * 1000;

/** Reads of hosts' availability: a host's own, and the slots anyone may book (decision 16). */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly availability: AvailabilityRepository,
    private readonly bookings: BookingsRepository,
    private readonly identity: IdentityClient,
  ) {}

  async mine(actor: Actor): Promise<AvailabilityDto> {
    assertHost(actor);
    const availability = await this.availability.forHost(actor.id);
    if (!availability) throw AppError.notFound('Availability');
    return availability.dto;
  }

  /** A host's slots for a date range, in the zone asked for. */
  async slots(username: string, query: SlotsQuery): Promise<SlotsResponse> {
    // The DTO checks the shape only; 2027-02-29 passes it and would make the range maths throw (a 500).
    for (const field of ['start_date', 'end_date'] as const) {
      if (!isCalendarDate(query[field])) throw AppError.validation('The range is not valid', [{ field, message: `${field} is not a calendar date` }]);
    }
    if (query.end_date < query.start_date) throw AppError.validation('The range is not valid', [{ field: 'end_date', message: 'end_date must not be before start_date' }]);
    if (daysInRange(query.start_date, query.end_date) > MAX_RANGE_DAYS) {
      throw AppError.validation('The range is too long', [{ field: 'end_date', message: `a range covers at most ${MAX_RANGE_DAYS} days` }]);
    }
    const host = await this.identity.profileByUsername(username);
    const availability = await this.availability.forHost(host.id);
    if (!availability) throw AppError.notFound('Availability of this host');
    const timezone = query.timezone ?? availability.rules.timezone;
    // Bookings near the range, with a margin for zone differences; their blocked ranges include buffers.
    const from = new Date(Date.parse(`${query.start_date}T00:00:00Z`) - 2 * DAY_MS);
    const to = new Date(Date.parse(`${query.end_date}T00:00:00Z`) + 3 * DAY_MS);
    const busy = await this.bookings.busy(host.id, from, to);
    return {
      host: {
        display_name: host.display_name,
        username: host.username ?? username,
        rate_per_minute: formatCents(availability.rateCents),
        window_size_minutes: availability.windowSizeMinutes,
      },
      timezone,
      slots: slotsFor(availability.rules, { startDate: query.start_date, endDate: query.end_date, timezone, now: new Date(), busy }),
    };
  }
}
