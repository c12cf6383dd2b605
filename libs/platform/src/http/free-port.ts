import { createServer } from 'node:net';

/**
 * Ports handed out for processes that will listen on them a moment later come from below Linux's
 * ephemeral range (32768–60999 by default): a port from inside it can be taken in between by any
 * outgoing connection of the machine (to Postgres, NATS…), and the listener then fails.
 */
const PICK_FROM = 20_000;
const PICK_TO = 32_767;
const ATTEMPTS = 200;

/** Whether `port` can be listened on at `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on now, outside the ephemeral range, and not one of `exclude`. */
export async function freePort(host = '127.0.0.1', exclude: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM + 1));
    if (!exclude.has(port) && (await isPortFree(port, host))) return port;
  }
  throw new Error(`no free port between ${PICK_FROM} and ${PICK_TO} after ${ATTEMPTS} tries`);
}
