import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCHEDULING_SCHEMA, SCHEDULING_TABLES, columnsOf } from '../scheduling.schema';
import { AvailabilityRow, HostAvailability, toHostAvailability } from './availability.row';

/** A host's availability as written; the database stamps the time of the write. */
export type AvailabilityValues = Omit<AvailabilityRow, 'updated_at'>;

const AVAILABILITY = SCHEDULING_TABLES.availability;
const AVAILABILITY_COLUMNS = columnsOf<AvailabilityRow>({
  host_id: true,
  timezone: true,
  rate_cents: true,
  window_size_minutes: true,
  slot_minutes: true,
  weekly: true,
  date_overrides: true,
  min_notice_minutes: true,
  buffer_minutes: true,
  updated_at: true,
});

/** Hosts' availability, one row per host (decision 16). */
@Injectable()
export class AvailabilityRepository {
  constructor(@InjectDataSource(SCHEDULING_SCHEMA) private readonly dataSource: DataSource) {}

  /** Creates or replaces the host's availability; answers it as stored. */
  async put(values: AvailabilityValues): Promise<HostAvailability> {
    const [row] = await this.dataSource.query<AvailabilityRow[]>(
      `INSERT INTO ${AVAILABILITY}
         (host_id, timezone, rate_cents, window_size_minutes, slot_minutes, weekly, date_overrides, min_notice_minutes, buffer_minutes, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (host_id) DO UPDATE SET
         timezone = EXCLUDED.timezone, rate_cents = EXCLUDED.rate_cents, window_size_minutes = EXCLUDED.window_size_minutes,
         slot_minutes = EXCLUDED.slot_minutes, weekly = EXCLUDED.weekly, date_overrides = EXCLUDED.date_overrides,
         min_notice_minutes = EXCLUDED.min_notice_minutes, buffer_minutes = EXCLUDED.buffer_minutes, updated_at = now()
       RETURNING ${AVAILABILITY_COLUMNS}`,
      [
        values.host_id,
        values.timezone,
        values.rate_cents,
        values.window_size_minutes,
        values.slot_minutes,
        JSON.stringify(values.weekly),
        JSON.stringify(values.date_overrides),
        values.min_notice_minutes,
        values.buffer_minutes,
      ],
    );
    return toHostAvailability(row);
  }

  async forHost(hostId: string): Promise<HostAvailability | null> {
    const [row] = await this.dataSource.query<AvailabilityRow[]>(`SELECT ${AVAILABILITY_COLUMNS} FROM ${AVAILABILITY} WHERE host_id = $1`, [hostId]);
    return row ? toHostAvailability(row) : null;
  }
}
