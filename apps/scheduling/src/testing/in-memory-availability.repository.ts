import { AvailabilityRepository, AvailabilityValues } from '../availability/availability.repository';
import { AvailabilityRow, HostAvailability, toHostAvailability } from '../availability/availability.row';
import { detachedDataSource } from './detached-data-source';

/** Hosts' availability in a map, one per host, stamped with the time of the write as the database does. */
export class InMemoryAvailabilityRepository extends AvailabilityRepository {
  private readonly rows = new Map<string, AvailabilityRow>();

  constructor() {
    super(detachedDataSource());
  }

  override async put(values: AvailabilityValues): Promise<HostAvailability> {
    const row: AvailabilityRow = { ...values, updated_at: new Date() };
    this.rows.set(values.host_id, row);
    return toHostAvailability(row);
  }

  override async forHost(hostId: string): Promise<HostAvailability | null> {
    const row = this.rows.get(hostId);
    return row ? toHostAvailability(row) : null;
  }

  /** The row stored for the host, as the upsert wrote it. */
  stored(hostId: string): AvailabilityRow | undefined {
    return this.rows.get(hostId);
  }
}
