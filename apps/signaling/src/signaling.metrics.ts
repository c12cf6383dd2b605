import { defineGauge, defineHistogram } from '@vidivo/platform';
import type { WebSocket } from 'ws';

/** Open WebSockets on this replica: call peers (`ws`) and hosts waiting for calls (`notify`). */
export const signalingConnections = defineGauge<'endpoint'>({
  name: 'signaling_connections',
  help: 'Open signaling WebSockets on this replica, by endpoint (ws: call peers, notify: hosts)',
  labelNames: ['endpoint'],
});
// Both series exist from the start, at zero.
for (const endpoint of ['ws', 'notify']) signalingConnections.inc({ endpoint }, 0);

/** Counts `socket` among the open ones of `endpoint` until it closes. */
export function countConnection(endpoint: 'ws' | 'notify', socket: WebSocket): void {
  signalingConnections.inc({ endpoint });
  socket.once('close', () => signalingConnections.dec({ endpoint }));
}

/**
 * A relayed frame's way to the other peer. `local`: from receiving the frame to sending it on,
 * both peers on this replica. `remote`: from the sending replica's publish to this replica's
 * send, across NATS (wall clocks of two hosts, so as good as their sync).
 */
export const signalingRelayLatency = defineHistogram<'path'>({
  name: 'signaling_relay_latency_seconds',
  help: 'Time from receiving a frame (local) or publishing it to another replica (remote) to sending it to the other peer',
  labelNames: ['path'],
  buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
});
