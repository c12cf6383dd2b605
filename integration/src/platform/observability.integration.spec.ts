// The test helpers and the apps are built on platform; test-only imports must not make platform depend on them.
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { MetricsServer } from '@vidivo/platform';
import { ComposedPlatform, HttpClient, registerAccount, startComposedPlatform, uniqueName } from '@vidivo/testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A pino destination keeping every line the process logs. */
class CapturedLogs {
  readonly lines: string[] = [];

  write(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter(Boolean));
  }

  get text(): string {
    return this.lines.join('\n');
  }

  records(): Array<Record<string, any>> {
    return this.lines.map((line) => JSON.parse(line));
  }
}

describe('observability: /metrics, request ids and redacted JSON logs (gateway + identity in one process, real Postgres)', () => {
  let platform: ComposedPlatform<undefined>;
  /** The process's /metrics port: runApp opens it on METRICS_PORT, the test on any free one. */
  let metrics: HttpClient;
  const logs = new CapturedLogs();

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'observability',
      apps: [gatewayApp, identityApp],
      env: { LOG_LEVEL: 'log' },
      runtime: { logDestination: logs },
    });
    metrics = new HttpClient(`http://127.0.0.1:${await platform.app.app.get(MetricsServer).listen(0, '127.0.0.1')}`);
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('GET /metrics (on a port of its own, decision 36)', () => {
    it('answers without a token, in Prometheus text, with process metrics', async () => {
      const scrape = await metrics.get('/metrics');
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; .*version=0\.0\.4/);
      expect(scrape.headers.get('cache-control')).toBe('no-store');
      expect(scrape.text).toMatch(/^# HELP process_cpu_user_seconds_total /m);
      expect(scrape.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    });

    it('is not answered on the public port, and its port answers nothing else', async () => {
      const publicScrape = await platform.api.get('/metrics');
      expect(publicScrape.status).toBe(404);
      expect(publicScrape.text).not.toContain('process_cpu_user_seconds_total');
      for (const path of ['/health/ready', '/v1/auth/jwks', '/metrics/x', '/']) expect([path, (await metrics.get(path)).status]).toEqual([path, 404]);
      expect((await metrics.post('/metrics', {})).status).toBe(404);
    });

    it('counts requests by route pattern, method and status, and the bus requests behind them', async () => {
      await registerAccount(platform.api, 'host');
      // Refused by the auth guard, but a route took it.
      expect((await platform.api.get('/v1/calls/01JD8X3K6Q9V2M4N7P0R5S8T1W')).status).toBe(401);
      expect((await platform.api.get('/v1/no/such/route/12345')).status).toBe(404);

      const { text } = await metrics.get('/metrics');
      expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/auth\/register",status="201"\} 1$/m);
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/calls\/:id",status="401"\} 1$/m);
      // The raw URL never becomes a label: unknown routes are one series.
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} \d+$/m);
      expect(text).not.toContain('12345');
      expect(text).not.toContain('01JD8X3K6Q9V2M4N7P0R5S8T1W');
      // Scrapes are not requests of the API.
      expect(text).not.toContain('route="/metrics"');
      expect(text).not.toMatch(/^http_request_duration_seconds_count\{method="GET",route="unmatched",status="200"\}/m);
      expect(text).toMatch(/^bus_request_duration_seconds_count\{subject="identity\.auth\.register",outcome="ok"\} \d+$/m);
      expect(text).toMatch(/^bus_handle_duration_seconds_count\{subject="identity\.auth\.register",outcome="ok"\} \d+$/m);
    });
  });

  describe('request ids', () => {
    it("echoes the caller's X-Request-Id, and the identity app logs its handling of the request under it", async () => {
      const username = uniqueName('traced');
      const registered = await platform.api.post(
        '/v1/auth/register',
        { email: `${username}@example.com`, password: 'correct horse battery staple', username, display_name: 'Traced', role: 'host' },
        { headers: { 'X-Request-Id': 'abc-123' } },
      );
      expect(registered.status).toBe(201);
      expect(registered.headers.get('x-request-id')).toBe('abc-123');

      const records = logs.records();
      const handled = records.find((record) => record.msg === 'message handled' && record.subject === 'identity.auth.register' && record.request_id === 'abc-123');
      expect(handled).toMatchObject({ level: 'info', context: 'bus', outcome: 'ok', app: 'observability-test' });
      const access = records.find((record) => record.msg === 'request completed' && record.request_id === 'abc-123');
      expect(access).toMatchObject({ req: { method: 'POST', url: '/v1/auth/register' }, res: { statusCode: 201 } });
    });

    it('replaces a request id that is not sane with a new one', async () => {
      const answer = await platform.api.get('/v1/auth/jwks', { headers: { 'X-Request-Id': 'not a sane id' } });
      expect(answer.headers.get('x-request-id')).toMatch(UUID);
    });

    it('gives every request without one its own, on errors and unknown routes too', async () => {
      const [first, second, unknown] = await Promise.all([platform.api.get('/v1/auth/jwks'), platform.api.get('/v1/users/me'), platform.api.get('/nowhere')]);
      expect(second.status).toBe(401);
      expect(unknown.status).toBe(404);
      const ids = [first, second, unknown].map((answer) => answer.headers.get('x-request-id'));
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(3);
    });
  });

  describe('no secrets in the logs', () => {
    it('never writes the password, the tokens or the Authorization header, and masks ?token= in URLs', async () => {
      const account = await registerAccount(platform.api, 'host');
      expect((await platform.api.get('/v1/users/me', { token: account.token })).status).toBe(200);
      await platform.api.post('/v1/auth/refresh', { refresh_token: account.refreshToken });
      await platform.api.post('/v1/auth/login', { email: account.email, password: account.password });
      await platform.api.get('/signal/ws?token=st_secret_signaling_token');

      expect(logs.text).not.toContain(account.password);
      expect(logs.text).not.toContain(account.token);
      expect(logs.text).not.toContain(account.refreshToken);
      expect(logs.text).not.toContain('st_secret_signaling_token');
      expect(logs.text).not.toMatch(/Bearer /i);

      const authorized = logs.records().find((record) => record.msg === 'request completed' && record.req?.url === '/v1/users/me' && record.req.headers.authorization);
      expect(authorized?.req.headers.authorization).toBe('[Redacted]');
      expect(logs.records().some((record) => record.req?.url === '/signal/ws?token=[Redacted]')).toBe(true);
    });
  });
});
