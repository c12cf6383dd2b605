import { Injectable } from '@nestjs/common';
import { AvailabilityDto, ErrorDetail } from '@vidivo/contracts';
import { parseCents } from '@vidivo/money';
import { AppError } from '@vidivo/platform';
import { AvailabilityRepository } from '../../availability/availability.repository';
import { normaliseOverride } from '../../availability/availability.row';
import { assertHost } from '../../availability/host-role.policy';
import { isCalendarDate } from '../../domain/availability';
import { PutAvailabilityCommand } from './put-availability.command';

export const DEFAULT_SLOT_MINUTES = 60;

/** A host publishes what they sell and when (decision 16): checked as a whole, then stored in place of the last. */
@Injectable()
export class PutAvailabilityUseCase {
  constructor(private readonly availability: AvailabilityRepository) {}

  async execute({ actor, availability: request }: PutAvailabilityCommand): Promise<AvailabilityDto> {
    assertHost(actor);
    const overrides = request.date_overrides ?? [];
    const problems = [...windowProblems('weekly', request.weekly), ...windowProblems('date_overrides', overrides)];
    const dates = overrides.map((override) => override.date);
    // A stored date that does not exist (2027-02-29) would make every slot query and booking of this host throw.
    dates.forEach((date, index) => {
      if (!isCalendarDate(date)) problems.push({ field: `date_overrides.${index}.date`, message: 'date must be a calendar date that exists' });
    });
    if (new Set(dates).size !== dates.length) problems.push({ field: 'date_overrides', message: 'each date may have one override' });
    if (problems.length > 0) throw AppError.validation('The availability is not valid', problems);

    const stored = await this.availability.put({
      host_id: actor.id,
      timezone: request.timezone,
      // The DTO's rate check accepts only what parses.
      rate_cents: parseCents(request.rate_per_minute)!,
      window_size_minutes: request.window_size_minutes,
      slot_minutes: request.slot_minutes ?? DEFAULT_SLOT_MINUTES,
      weekly: request.weekly.map(({ day, start, end }) => ({ day, start, end })),
      date_overrides: overrides.map(normaliseOverride),
      min_notice_minutes: request.min_notice_minutes ?? 0,
      buffer_minutes: request.buffer_minutes ?? 0,
    });
    return stored.dto;
  }
}

function windowProblems(field: string, windows: Array<{ start?: string; end?: string; unavailable?: true }>): ErrorDetail[] {
  return windows.flatMap((window, index) => (window.unavailable || window.start! < window.end! ? [] : [{ field: `${field}.${index}.end`, message: 'end must be after start' }]));
}
