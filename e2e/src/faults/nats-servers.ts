import { freePort, sleep } from '@vidivo/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's nats-server, which .ci/run installs. */
const NATS_SERVER = '/usr/sbin/nats-server';
const READY_TIMEOUT_MS = 30_000;

interface ServerPorts {
  client: number;
  monitor: number;
  cluster?: number;
}

/**
 * One nats-server process with JetStream, of the fault suite's own, on free ports: it can be
 * killed and started again (same ports, same store) without touching the machine's NATS.
 */
export class NatsServer {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private log = '';

  private constructor(
    readonly name: string,
    private readonly ports: ServerPorts,
    private readonly storeDir: string,
    /** The other servers' cluster URLs, when it is one of a cluster. */
    private readonly routes: string[],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.ports.client}`;
  }

  get clusterUrl(): string | undefined {
    return this.ports.cluster === undefined ? undefined : `nats://127.0.0.1:${this.ports.cluster}`;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** A single server, JetStream's store under `dataDir`. */
  static async single(dataDir: string): Promise<NatsServer> {
    const server = new NatsServer('nats-1', { client: await freePort(), monitor: await freePort() }, join(dataDir, 'nats-1'), []);
    await server.start();
    return server;
  }

  /** `size` servers routed to each other into one JetStream cluster, all started and ready. */
  static async cluster(dataDir: string, size = 3): Promise<NatsServer[]> {
    const ports: ServerPorts[] = [];
    for (let i = 0; i < size; i++) ports.push({ client: await freePort(), monitor: await freePort(), cluster: await freePort() });
    const routes = ports.map((port) => `nats://127.0.0.1:${port.cluster}`);
    const servers = ports.map((port, i) => new NatsServer(`nats-${i + 1}`, port, join(dataDir, `nats-${i + 1}`), routes));
    servers.forEach((server) => server.spawn());
    await Promise.all(servers.map((server) => server.waitUntilReady()));
    return servers;
  }

  async start(): Promise<void> {
    this.spawn();
    await this.waitUntilReady();
  }

  /** Sends `signal` (SIGKILL: a crash) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.process!.kill(signal);
    await this.exited;
  }

  output(): string {
    return this.log;
  }

  private spawn(): void {
    mkdirSync(this.storeDir, { recursive: true });
    const args = ['-a', '127.0.0.1', '-p', String(this.ports.client), '-m', String(this.ports.monitor), '-js', '-sd', this.storeDir, '-n', this.name];
    if (this.ports.cluster !== undefined) {
      args.push('--cluster_name', 'vidivo-faults', '--cluster', `nats://127.0.0.1:${this.ports.cluster}`, '--routes', this.routes.join(','));
    }
    const process = spawn(NATS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    process.stdout.on('data', (chunk) => (this.log += chunk));
    process.stderr.on('data', (chunk) => (this.log += chunk));
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    this.process = process;
  }

  /** Until the monitoring endpoint says JetStream is up (in a cluster: with a meta leader). */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited:\n${this.log}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.ports.monitor}/healthz`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} not ready after ${READY_TIMEOUT_MS / 1000} s:\n${this.log}`);
  }
}
