/**
 * The launcher's one output stream, as `docker compose up` prints it: every child's lines (the
 * apps' own JSON logs) behind its name, and the launcher's own plain lines behind `cluster`. The
 * launcher's lines do not follow LOG_LEVEL: they are few, and say where things listen and why the
 * cluster stops.
 */
export class ClusterLog {
  private readonly width: number;

  constructor(names: string[]) {
    this.width = Math.max('cluster'.length, ...names.map((name) => name.length));
    // A reader that went away (`| head`) must not crash the launcher while it stops the apps.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  }

  child(name: string, line: string, stream: 'out' | 'err'): void {
    (stream === 'out' ? process.stdout : process.stderr).write(`${name.padEnd(this.width)} | ${line}\n`);
  }

  info(message: string): void {
    this.child('cluster', message, 'out');
  }

  error(message: string): void {
    this.child('cluster', message, 'err');
  }
}
