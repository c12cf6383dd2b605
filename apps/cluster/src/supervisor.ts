import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ChildSpec } from './cluster-plan';
import { ClusterLog } from './cluster-log';
import { DEFAULT_RESTART_BACKOFF, RestartBackoff, RestartBackoffPolicy } from './restart-backoff';

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

/** One app of the cluster: the process running it now, and its restart backoff. */
interface Slot {
  spec: ChildSpec;
  child: Child;
  startedAt: number;
  backoff: RestartBackoff;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Starts the cluster's processes, watches them, and stops them all. Until the cluster is first
 * ready an app that exits stops the cluster (a setting it refuses does not get better by retrying);
 * after that, as Kubernetes restarts a crashed container, a crashed app is started again after a
 * backoff (restart-backoff.ts), and only stop() ends the cluster.
 */
export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  private restarting = false;

  constructor(
    private readonly distDir: string,
    private readonly log: ClusterLog,
    /** Called when a child exits before the cluster was ready, while it is not stopping. */
    private readonly onUnexpectedExit: (name: string, how: string) => void,
    private readonly backoffPolicy: RestartBackoffPolicy = DEFAULT_RESTART_BACKOFF,
    private readonly now: () => number = Date.now,
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
      const slot: Slot = { spec, child: this.spawn(spec), startedAt: this.now(), backoff: new RestartBackoff(this.backoffPolicy) };
      this.slots.push(slot);
      this.log.info(`${spec.name} started (pid ${slot.child.process.pid ?? '-'}) on ${spec.listensOn}`);
      this.watch(slot);
    }
  }

  /** From now on a crashed app is restarted instead of stopping the cluster. */
  restartCrashedApps(): void {
    this.restarting = true;
  }

  /** Until every child answers its readiness URL; false when the cluster started stopping first. Throws on timeout. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    const pending = new Set(this.slots.map((slot) => slot.child));
    while (pending.size && !this.stopping) {
      if (this.now() > deadline) {
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
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    const results = await Promise.all(this.slots.map((slot) => slot.child.stop(signal, graceMs, this.log)));
    return results.every(Boolean);
  }

  /** Last resort when the launcher itself exits: nothing it started may outlive it. */
  killAll(): void {
    for (const { child } of this.slots) {
      if (child.running) child.process.kill('SIGKILL');
    }
  }

  private spawn(spec: ChildSpec): Child {
    return new Child(spec, this.scriptOf(spec.app), this.log);
  }

  private watch(slot: Slot): void {
    const { child } = slot;
    void child.closed.then((exit) => {
      if (this.stopping || slot.child !== child) return;
      if (!this.restarting) {
        this.onUnexpectedExit(slot.spec.name, describeExit(exit));
        return;
      }
      const delay = slot.backoff.delayAfterExit(slot.startedAt, this.now());
      this.log.error(`${slot.spec.name} ${describeExit(exit)}: restarting it in ${delay / 1000} s (crash ${slot.backoff.restarts} in a row)`);
      slot.restartTimer = setTimeout(() => this.restart(slot), delay);
    });
  }

  private restart(slot: Slot): void {
    if (this.stopping) return;
    slot.child = this.spawn(slot.spec);
    slot.startedAt = this.now();
    this.log.info(`${slot.spec.name} restarted (pid ${slot.child.process.pid ?? '-'}) on ${slot.spec.listensOn}`);
    this.watch(slot);
    void this.announceReady(slot, slot.child);
  }

  /** Logs when a restarted app answers its readiness again, for operators timing a recovery. */
  private async announceReady(slot: Slot, child: Child): Promise<void> {
    while (!this.stopping && slot.child === child && child.running) {
      if (await child.isReady()) {
        this.log.info(`${slot.spec.name} ready again ${((this.now() - slot.startedAt) / 1000).toFixed(1)} s after its restart`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
