import { HttpClient, NodeProcess, freePort, registerAccount, sleep } from '@vidivo/testing';
import { WebSocket } from 'ws';
import { PlatformUnderTest, newDataDir, startStandalone } from './platform-under-test';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the moment exited() was called. */
  afterMs: number;
}

/** The process's exit, or a failure (with its output) when it is still running after withinMs. */
function exited(app: NodeProcess, withinMs: number): Promise<Exit> {
  const since = Date.now();
  return new Promise((resolve, reject) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      resolve({ code: app.child.exitCode, signal: app.child.signalCode, afterMs: 0 });
      return;
    }
    const timer = setTimeout(() => reject(new Error(`${app.name} still running ${withinMs} ms later:\n${app.output()}`)), withinMs);
    app.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, afterMs: Date.now() - since });
    });
  });
}

/**
 * SIGTERM on `npm start`'s process, black-box (the built app, its embedded Postgres, the bundled
 * Stripe emulator): what is in flight finishes, nothing new is taken, open WebSockets are told to
 * reconnect, and the process ends within SHUTDOWN_TIMEOUT_SECONDS whatever happens.
 */
describe('graceful shutdown (standalone process)', () => {
  const dataDirs: Array<{ remove(): void }> = [];
  let platform: PlatformUnderTest | undefined;

  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  afterAll(() => dataDirs.forEach((dataDir) => dataDir.remove()));

  /** A fresh process on its own DATA_DIR, with the bundled Stripe emulator on a port the test knows. */
  const start = async (env: Record<string, string> = {}) => {
    const dataDir = newDataDir();
    dataDirs.push(dataDir);
    const emulatorPort = await freePort();
    platform = await startStandalone(dataDir.path, { STRIPE_EMULATOR_PORT: String(emulatorPort), ...env });
    return { app: platform.processes[0], baseUrl: platform.baseUrl, api: new HttpClient(platform.baseUrl), emulatorUrl: `http://127.0.0.1:${emulatorPort}` };
  };

  const linkOfNewHost = async (api: HttpClient) => {
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    return link.body.short_code as string;
  };

  /** The next Stripe hold (a PaymentIntent create) waits stallMs before the emulator answers it. */
  const stallNextHold = async (emulatorUrl: string, stallMs: number) => {
    const fault = { method: 'POST', path: '/v1/payment_intents', kind: 'stall', stallMs };
    const response = await fetch(`${emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    expect(response.status).toBe(201);
  };

  const anonymousJoin = (api: HttpClient, shortCode: string) => api.post(`/v1/calls/join/${shortCode}`, { payment_method_id: 'pm_card_visa', guest_name: 'Grace' });

  it('lets a request in flight finish, takes no new work, and exits with 0', async () => {
    const { app, baseUrl, api, emulatorUrl } = await start();
    const shortCode = await linkOfNewHost(api);
    await stallNextHold(emulatorUrl, 2_000);
    const joining = anonymousJoin(api, shortCode);
    await sleep(300);

    app.child.kill('SIGTERM');
    const exit = exited(app, 20_000);
    await sleep(200);
    // A new connection finds the listener closed, or (while it still listens) readiness says 503.
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.status,
      () => 'no connection',
    );
    expect([503, 'no connection']).toContain(ready);

    const joined = await joining;
    expect({ status: joined.status, text: joined.status === 201 ? '' : joined.text }).toEqual({ status: 201, text: '' });
    expect(joined.body.call.status).toBe('waiting');
    expect(joined.headers.get('connection')).toBe('close');
    const { code, afterMs } = await exit;
    expect({ code, output: code === 0 ? '' : app.output() }).toEqual({ code: 0, output: '' });
    // The stall ends ~1.5 s after SIGTERM; keep-alive connections do not hold the exit up.
    expect(afterMs).toBeLessThan(10_000);
    expect(app.output()).toContain('SIGTERM: shutting down');
    expect(app.output()).toContain('shut down cleanly');
  });

  it('closes an open signaling WebSocket with 1001 and a reason to reconnect', async () => {
    const { app, baseUrl, api } = await start();
    const host = await registerAccount(api, 'host');
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/signal/notify?token=${encodeURIComponent(host.token)}`);
    socket.on('error', () => undefined);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    });
    await sleep(300);
    expect(socket.readyState).toBe(WebSocket.OPEN);

    app.child.kill('SIGTERM');
    const exit = exited(app, 20_000);
    expect(await closed).toEqual({ code: 1001, reason: expect.stringMatching(/reconnect/i) });
    const { code } = await exit;
    expect({ code, output: code === 0 ? '' : app.output() }).toEqual({ code: 0, output: '' });
  });

  it('gives up after SHUTDOWN_TIMEOUT_SECONDS: exits with 1 and says what it was waiting for', async () => {
    const { app, api, emulatorUrl } = await start({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const shortCode = await linkOfNewHost(api);
    await stallNextHold(emulatorUrl, 10_000);
    const joining = anonymousJoin(api, shortCode).catch((error: Error) => error);
    await sleep(300);

    app.child.kill('SIGTERM');
    const { code, afterMs } = await exited(app, 10_000);
    expect(code).toBe(1);
    expect(afterMs).toBeGreaterThanOrEqual(900);
    expect(afterMs).toBeLessThan(3_000);
    expect(app.output()).toMatch(/shutdown did not finish within 1 s \(SHUTDOWN_TIMEOUT_SECONDS\)/);
    expect(app.output()).toContain(`HTTP requests in flight: POST /v1/calls/join/${shortCode}`);
    // The request was cut off with the process (fetch's TypeError comes from another realm than jest's Error).
    expect(((await joining) as Error).message).toMatch(/fetch failed/);
  });

  it('exits with 1 at once on a second signal while shutting down', async () => {
    const { app, api, emulatorUrl } = await start();
    const shortCode = await linkOfNewHost(api);
    await stallNextHold(emulatorUrl, 10_000);
    const joining = anonymousJoin(api, shortCode).catch((error: Error) => error);
    await sleep(300);

    app.child.kill('SIGTERM');
    await sleep(300);
    app.child.kill('SIGINT');
    const { code, afterMs } = await exited(app, 5_000);
    expect(code).toBe(1);
    expect(afterMs).toBeLessThan(1_000);
    expect(app.output()).toContain('SIGINT again while shutting down');
    await joining;
  });
});
