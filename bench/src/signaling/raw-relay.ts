import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * The baseline of the signaling benchmark, run as its own process (`PORT=… node raw-relay.js`):
 * the least a relay can do. `ws://host/<room>` pairs the first two sockets of a room, tells both
 * with one fixed frame (as our server's peer_joined), and forwards every frame to the other socket
 * untouched — no auth, no database, no JSON parsing, no rate limit, no queue. Any plain HTTP
 * request answers 200, so the bench can wait for it like for the app.
 */
const PAIRED = '{"type":"peer_joined","payload":{}}';
const rooms = new Map<string, WebSocket[]>();

const server = createServer((_request, response) => response.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket, request) => {
  const room = request.url ?? '/';
  const peers = rooms.get(room) ?? [];
  if (peers.length >= 2) return socket.close(4000, 'room full');
  peers.push(socket);
  rooms.set(room, peers);
  if (peers.length === 2) for (const peer of peers) peer.send(PAIRED);

  socket.on('message', (data, isBinary) => {
    const other = peers[0] === socket ? peers[1] : peers[0];
    if (other?.readyState === WebSocket.OPEN) other.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    peers.splice(peers.indexOf(socket), 1);
    if (peers.length === 0) rooms.delete(room);
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
