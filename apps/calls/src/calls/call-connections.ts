import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PeerPresencePayload } from '@vidivo/contracts';
import { DataSource } from 'typeorm';
import { CALLS_SCHEMA } from '../calls.schema';

/** A participant of an active call with no open signaling connection since `goneSince`. */
export interface GoneParticipant {
  callId: string;
  goneSince: Date;
}

/**
 * The participants' signaling connections as signaling's events tell them (decision 28). Events
 * may come late, twice or out of order: each connection is a row whose two moments are only ever
 * filled in, so the outcome does not depend on the order they arrive in.
 */
@Injectable()
export class CallConnections {
  constructor(@InjectDataSource(CALLS_SCHEMA) private readonly dataSource: DataSource) {}

  async connected(event: PeerPresencePayload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calls.call_connections (call_id, role, conn, connected_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, role, conn) DO UPDATE SET connected_at = COALESCE(call_connections.connected_at, EXCLUDED.connected_at)`,
      [event.call_id, event.role, event.conn, event.at],
    );
  }

  async disconnected(event: PeerPresencePayload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calls.call_connections (call_id, role, conn, disconnected_at) VALUES ($1, $2, $3, $4)
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
    const rows: Array<{ id: string; gone_since: Date }> = await this.dataSource.query(
      `SELECT c.id, min(gone.since) AS gone_since
         FROM calls.calls c
         CROSS JOIN (VALUES ('guest'), ('host')) AS r (role)
         CROSS JOIN LATERAL (
           SELECT GREATEST(c.started_at, COALESCE(max(p.disconnected_at), c.started_at)) AS since,
                  bool_or(p.disconnected_at IS NULL) AS open
             FROM calls.call_connections p WHERE p.call_id = c.id AND p.role = r.role
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
