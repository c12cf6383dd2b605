import { readFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RelayPageServer {
  /** http://localhost:<port>/relay-peer.html: localhost is a secure context, so getUserMedia works. */
  url: string;
  close(): Promise<void>;
}

/** Serves relay-peer.html from the source folder, as ../webrtc/peer-page.server.ts serves peer.html. */
export async function serveRelayPage(): Promise<RelayPageServer> {
  const page = readFileSync(join(__dirname, 'relay-peer.html'));
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && (request.url === '/relay-peer.html' || request.url === '/')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(page);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/relay-peer.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
