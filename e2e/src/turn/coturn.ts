import { freePort } from '@vidivo/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const TURN_HOST = '127.0.0.1';
export const TURN_REALM = 'vidivo.test';

/** A coturn `turnserver` the test started, listening on UDP and TCP at 127.0.0.1:<port>. */
export interface Coturn {
  port: number;
  /** What the platform's TURN_URLS lists: one UDP and one TCP URL. */
  urls: string[];
  /** Everything turnserver logged so far (verbose: one line per TURN request it handled). */
  output(): string;
  stop(): Promise<void>;
}

/** Debian's coturn package puts it in /usr/bin; look on PATH as well. */
function findTurnserver(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'turnserver');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('turnserver (coturn) is not installed: the TURN test needs it (apt-get install coturn)');
}

/** A port free for both a TCP listener and a UDP socket on 127.0.0.1 (coturn takes both). */
async function freeTcpAndUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, TURN_HOST, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1');
}

const MAGIC_COOKIE = 0x2112a442;

/** One STUN Binding request over UDP (RFC 5389; no authentication needed): true once answered. */
function stunBindingAnswered(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transaction = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2); // no attributes
    request.writeUInt32BE(MAGIC_COOKIE, 4);
    transaction.copy(request, 8);
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('message', (message) => {
      // Binding success response (0x0101) for our transaction.
      if (message.length >= 20 && message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) done(true);
    });
    socket.send(request, port, TURN_HOST);
  });
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: TURN_HOST });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts Debian's coturn with the TURN REST scheme (`use-auth-secret`): it accepts a username
 * "<expiry>:<id>" with credential base64(HMAC-SHA1(secret, username)) until the expiry, checking
 * both itself, exactly what the platform's TURN_SECRET issues. Everything on loopback, nothing
 * read from or written to the system's coturn files.
 */
export async function startCoturn(secret: string): Promise<Coturn> {
  const binary = findTurnserver();
  const port = await freeTcpAndUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'vidivo-coturn-'));
  const args = [
    '-n', // no configuration file: /etc/turnserver.conf is the system's, not ours
    `--listening-ip=${TURN_HOST}`,
    `--listening-port=${port}`, // UDP and TCP both
    `--relay-ip=${TURN_HOST}`, // relayed transport addresses on loopback, where the peers are
    '--allow-loopback-peers', // the peers' relay addresses are 127.0.0.1 too (coturn refuses loopback peers by default)
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${TURN_REALM}`,
    '--no-tls',
    '--no-dtls',
    '--no-cli', // no telnet CLI on 5766
    '--verbose', // one log line per request: ALLOCATE/CREATE_PERMISSION/… with the session's username
    '--log-file=stdout',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`, // SQLite; the default is /var/lib/turn/turndb
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null && !spawnError;

  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (!running()) {
      await stop();
      throw new Error(`turnserver exited (${spawnError?.message ?? child.exitCode ?? child.signalCode}) before listening:\n${output}`);
    }
    if ((await tcpAccepts(port)) && (await stunBindingAnswered(port, 300))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not answer on ${TURN_HOST}:${port} (UDP and TCP) in 10 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    port,
    urls: [`turn:${TURN_HOST}:${port}?transport=udp`, `turn:${TURN_HOST}:${port}?transport=tcp`],
    output: () => output,
    stop,
  };
}
