import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PeerPresencePayload } from '@vidivo/contracts';
import { DataSource } from 'typeorm';
import { CALLS_SCHEMA, CALLS_TABLES } from '../calls.schema';

/** A participant of an active call with no open signaling connection since `goneSince`. */
export interface GoneParticipant {
  callId: string;
  goneSince: Date;
}

/**
 * The participants' signaling connections as signaling's events tell them (decision 28). Events
 * may come late, twice or out of order: each connection is a row whose two moments are only ever
 * filled in, so the outcome does not depend on the order they arrive in. Upserts and a lateral
 * join: typed SQL on {@link CALLS_TABLES}, as the call_connections table has no entity.
 */
@Injectable()
export class CallConnectionsRepository {
  constructor(@InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource) {}

  async connected(event: PeerPresencePayload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CALLS_TABLES.callConnections} (call_id, role, conn, connected_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, role, conn) DO UPDATE SET connected_at = COALESCE(call_connections.connected_at, EXCLUDED.connected_at)`,
      [event.call_id, event.role, event.conn, event.at],
    );
  }

  async disconnected(event: PeerPresencePayload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${CALLS_TABLES.callConnections} (call_id, role, conn, disconnected_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, role, conn) DO UPDATE SET disconnected_at = COALESCE(call_connections.disconnected_at, EXCLUDED.disconnected_at)`,
      [event.call_id, event.role, event.conn, event.at],
    );
  }

  /**
   * Active calls a participant has been away from for `seconds`: no open connection, counted from
   * when the last one went, or from host-join for one who never connected. Each call once, with the
   * earliest such moment.
   */
  async goneFor(seconds: number, limit: number): Promise<GoneParticipant[]> {
    const rows = await this.dataSource.query<Array<{ id: string; gone_since: Date }>>(
      `SELECT c.id, min(gone.since) AS gone_since
         FROM ${CALLS_TABLES.calls} c
         CROSS JOIN (VALUES ('guest'), ('host')) AS r (role)
         CROSS JOIN LATERAL (
           SELECT GREATEST(c.started_at, COALESCE(max(p.disconnected_at), c.started_at)) AS since,
                  bool_or(p.disconnected_at IS NULL) AS open
             FROM ${CALLS_TABLES.callConnections} p WHERE p.call_id = c.id AND p.role = r.role
         ) AS gone
        WHERE c.status = 'active' AND gone.open IS NOT TRUE AND gone.since <= now() - $1 * interval '1 second'
        GROUP BY c.id
        ORDER BY 2
        LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((row) => ({ callId: row.id, goneSince: row.gone_since }));
  }
}
