import { freePort, waitForHttp } from '@vidivo/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** One server under measurement: a process of its own, and the URLs of the two measured routes. */
export interface MeasuredServer {
  label: string;
  pid: number;
  routes: Array<{ name: string; url: string }>;
  /** The lines the process wrote (the access log, for the standalone). */
  output(): string;
  stop(): Promise<void>;
}

const REPOSITORY = resolve(__dirname, '../../..');

/** A node process whose output goes to a file (what its logging costs is what writing to a file costs). */
function launch(script: string, env: Record<string, string>, nodeOptions: string[]): { child: ChildProcess; outputFile: string; workDir: string } {
  const workDir = mkdtempSync(join(tmpdir(), 'http-floor-'));
  const outputFile = join(workDir, 'output.log');
  const out = openSync(outputFile, 'a');
  const child = spawn(process.execPath, [...nodeOptions, script], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', out, out] });
  return { child, outputFile, workDir };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
}

function asProcess(name: string, child: ChildProcess, outputFile: string) {
  return { name, child, output: () => readFileSync(outputFile, 'utf8'), stop: stopper(child) };
}

/** Bare Express with express.json(): the floor. */
export async function startBareExpress(): Promise<MeasuredServer> {
  const port = await freePort();
  const { child, outputFile } = launch(join(__dirname, 'bare-express.server.js'), { PORT: String(port) }, []);
  const process = asProcess('bare express', child, outputFile);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health/live`, [{ ...process, stop: async () => null }]);
  return {
    label: 'bare express + json',
    pid: child.pid!,
    routes: [
      { name: 'GET /health/live', url: `${base}/health/live` },
      { name: 'GET /v1/calls/links/:code/info', url: `${base}/v1/calls/links/abc123/info` },
    ],
    output: process.output,
    stop: process.stop,
  };
}

/** A host with one call link, made over the public API: the code whose info is asked. */
async function createLink(base: string): Promise<string> {
  const username = `floor_${Date.now().toString(36)}`;
  const registration = { email: `${username}@example.com`, password: 'correct horse battery', username, display_name: 'Floor Host', role: 'host' };
  const registered = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registration) });
  if (registered.status !== 201) throw new Error(`registration failed: ${registered.status} ${await registered.text()}`);
  const { access_token: token } = (await registered.json()) as { access_token: string };
  const link = await fetch(`${base}/v1/calls/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ rate_per_minute: '1.00', window_size_minutes: 10 }),
  });
  if (link.status !== 201) throw new Error(`link creation failed: ${link.status} ${await link.text()}`);
  return ((await link.json()) as { short_code: string }).short_code;
}

/**
 * The built standalone (`dist/` of this checkout, or another build's `dist/` given as `distDir`)
 * as `npm start` runs it, with the request logs, security headers and metrics it always has: no
 * rate limits (they would refuse the load), logs at the default level, into a file.
 */
export async function startStandalone(label: string, distDir = join(REPOSITORY, 'dist'), nodeOptions: string[] = []): Promise<MeasuredServer> {
  const [port, postgresPort, emulatorPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'http-floor-data-'));
  const env = {
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    STRIPE_EMULATOR_PORT: String(emulatorPort),
    METRICS_PORT: String(metricsPort),
    RATE_LIMIT_PER_MINUTE: '0',
    DECLINED_PAYMENTS_PER_HOUR: '0',
  };
  const { child, outputFile } = launch(join(distDir, 'apps/standalone/src/main.js'), env, nodeOptions);
  const process = asProcess(label, child, outputFile);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health/ready`, [{ ...process, stop: async () => null }], 120_000);
  const code = await createLink(base);
  return {
    label,
    pid: child.pid!,
    routes: [
      { name: 'GET /health/live', url: `${base}/health/live` },
      { name: 'GET /v1/calls/links/:code/info', url: `${base}/v1/calls/links/${code}/info` },
    ],
    output: process.output,
    stop: process.stop,
  };
}
