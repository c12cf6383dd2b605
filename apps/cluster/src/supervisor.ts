import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ChildSpec } from './cluster-plan';
import { ClusterLog } from './cluster-log';

const POLL_MS = 250;
const PROBE_TIMEOUT_MS = 2_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const describeExit = ({ code, signal }: Exit) => (signal ? `was killed by ${signal}` : `exited with code ${code}`);

/** One running app: its process, its output copied into the launcher's with its name in front. */
class Child {
  readonly process: ChildProcess;
  /** Resolves once the process has exited and its output is drained. */
  readonly closed: Promise<Exit>;
  exit?: Exit;

  constructor(
    readonly spec: ChildSpec,
    script: string,
    log: ClusterLog,
  ) {
    // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which passes it on
    // once, so no app gets the signal twice (the second would skip its graceful shutdown).
    this.process = spawn(process.execPath, [script], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const [stream, target] of [
      [this.process.stdout!, 'out'],
      [this.process.stderr!, 'err'],
    ] as const) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log.child(spec.name, line, target));
    }
    this.closed = new Promise((resolve) => {
      this.process.once('close', (code, signal) => resolve((this.exit = { code, signal })));
      // Not started at all (no 'close' follows an 'error' without a process).
      this.process.once('error', (error) => {
        log.error(`${spec.name}: ${error.message}`);
        if (this.process.pid === undefined) resolve((this.exit = { code: null, signal: null }));
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Whether it answers its readiness URL with 200. */
  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** Sends `signal`, then SIGKILL after `graceMs`; true when it ended by itself with 0 (or by that signal, if it came before its handlers). */
  async stop(signal: NodeJS.Signals, graceMs: number, log: ClusterLog): Promise<boolean> {
    if (this.exit) return this.exit.code === 0;
    let killed = false;
    this.process.kill(signal);
    const timer = setTimeout(() => {
      killed = true;
      log.error(`${this.spec.name} did not stop within ${graceMs / 1000} s: SIGKILL`);
      this.process.kill('SIGKILL');
    }, graceMs);
    const exit = await this.closed;
    clearTimeout(timer);
    const clean = !killed && (exit.code === 0 || exit.signal === signal);
    if (!clean) log.error(`${this.spec.name} ${describeExit(exit)} while stopping`);
    return clean;
  }
}

/** Starts the cluster's processes, watches them, and stops them all. */
export class Supervisor {
  private readonly children: Child[] = [];
  private stopping = false;

  constructor(
    private readonly distDir: string,
    private readonly log: ClusterLog,
    /** Called when a child exits while the cluster is not stopping. */
    private readonly onUnexpectedExit: (name: string, how: string) => void,
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** The script that runs a built app. */
  scriptOf(app: string): string {
    return join(this.distDir, app, 'src/main.js');
  }

  start(specs: ChildSpec[]): void {
    for (const spec of specs) {
      const child = new Child(spec, this.scriptOf(spec.app), this.log);
      this.children.push(child);
      this.log.info(`${spec.name} started (pid ${child.process.pid ?? '-'}) on ${spec.listensOn}`);
      void child.closed.then((exit) => {
        if (!this.stopping) this.onUnexpectedExit(spec.name, describeExit(exit));
      });
    }
  }

  /** Until every child answers its readiness URL; false when the cluster started stopping first. Throws on timeout. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(this.children);
    while (pending.size && !this.stopping) {
      if (Date.now() > deadline) {
        const names = [...pending].map((child) => child.spec.name).join(', ');
        throw new Error(`not ready after ${timeoutMs / 1000} s: ${names}`);
      }
      await Promise.all(
        [...pending].map(async (child) => {
          if (await child.isReady()) pending.delete(child);
        }),
      );
      if (pending.size) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return !this.stopping;
  }

  /** Passes `signal` to every running child and waits for all (SIGKILL after `graceMs`); true when every one stopped cleanly. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<boolean> {
    this.stopping = true;
    const results = await Promise.all(this.children.map((child) => child.stop(signal, graceMs, this.log)));
    return results.every(Boolean);
  }

  /** Last resort when the launcher itself exits: nothing it started may outlive it. */
  killAll(): void {
    for (const child of this.children) {
      if (child.running) child.process.kill('SIGKILL');
    }
  }
}
