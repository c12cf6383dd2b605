import { readFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { basename } from 'node:path';

export interface PeerPageServer {
  /** http://localhost:<port>/<page>: localhost is a secure context, so getUserMedia works. */
  url: string;
  /** The page's origin, for the platform's CORS_ORIGINS when the page calls the API itself. */
  origin: string;
  close(): Promise<void>;
}

/** Serves one test page from the source folder (the tests run from TypeScript source, no build step). */
export async function servePeerPage(pagePath: string): Promise<PeerPageServer> {
  const page = readFileSync(pagePath);
  const name = `/${basename(pagePath)}`;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && (request.url === name || request.url === '/')) {
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
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${name}`,
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
