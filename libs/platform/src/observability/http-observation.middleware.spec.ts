import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { MetricValueWithName } from 'prom-client';
import { observeHttpRequests } from './http-observation.middleware';
import { createLogger } from './logger.factory';
import { metricsRegistry } from './metrics.registry';
import { currentRequestId } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function samples(labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((entry) => entry.name === 'http_request_duration_seconds');
  const values = (metric?.values ?? []) as Array<MetricValueWithName<string>>;
  const series = values.find(
    (value) => value.metricName === 'http_request_duration_seconds_count' && Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return series?.value ?? 0;
}

/** An Express app with only observeHttpRequests in front, its log lines kept. */
describe('observeHttpRequests', () => {
  const lines: string[] = [];
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
  const destination = new Writable({ write: (chunk, _, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
  const logger = createLogger({ app: 'observed', level: 'log', destination });
  const childSpy = jest.spyOn(logger, 'child');
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(observeHttpRequests(logger));
    app.get('/v1/things/:id', (_request, response) => void response.json({ request_id: currentRequestId() }));
    app.get('/health/live', (_request, response) => void response.json({ status: 'ok' }));
    app.get('/v1/broken', (_request, response) => void response.status(503).json({ error: 'down' }));
    app.get('/v1/hangs', () => undefined);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const lineFor = (requestId: string) => records().find((record) => record.request_id === requestId);
  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

  it("echoes the caller's request id, runs the route inside its context, and writes one access line with the request's fields", async () => {
    const before = await samples({ method: 'GET', route: '/v1/things/:id', status: '200' });
    const answer = await fetch(`${base}/v1/things/42?token=secret-in-url`, { headers: { 'X-Request-Id': 'abc-123', authorization: 'Bearer secret-header' } });
    expect(answer.headers.get('x-request-id')).toBe('abc-123');
    expect(await answer.json()).toEqual({ request_id: 'abc-123' });
    await settled();
    expect(lineFor('abc-123')).toMatchObject({
      level: 'info',
      app: 'observed',
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/things/42?token=[Redacted]', headers: { authorization: '[Redacted]' }, remote_address: '127.0.0.1' },
      res: { statusCode: 200 },
      duration_ms: expect.any(Number),
    });
    expect(lines.join()).not.toMatch(/secret-in-url|secret-header/);
    expect(await samples({ method: 'GET', route: '/v1/things/:id', status: '200' })).toBe(before + 1);
  });

  it('gives a request without a sane id a new one', async () => {
    const answer = await fetch(`${base}/v1/things/1`, { headers: { 'X-Request-Id': 'not sane' } });
    expect(answer.headers.get('x-request-id')).toMatch(UUID);
  });

  it('writes probes at debug (not at LOG_LEVEL=log) but still counts them', async () => {
    const before = await samples({ route: '/health/live', status: '200' });
    const answer = await fetch(`${base}/health/live`);
    await settled();
    expect(lineFor(answer.headers.get('x-request-id')!)).toBeUndefined();
    expect(await samples({ route: '/health/live', status: '200' })).toBe(before + 1);
  });

  it('writes a 5xx as an error, "request errored", and an unknown route as unmatched', async () => {
    const broken = await fetch(`${base}/v1/broken`);
    const unknownBefore = await samples({ route: 'unmatched', status: '404' });
    await fetch(`${base}/nowhere/12345`);
    await settled();
    expect(lineFor(broken.headers.get('x-request-id')!)).toMatchObject({
      level: 'error',
      msg: 'request errored',
      res: { statusCode: 503 },
      err: { message: 'failed with status code 503' },
    });
    expect(await samples({ route: 'unmatched', status: '404' })).toBe(unknownBefore + 1);
  });

  it('writes "request aborted" for a request its client gave up on, without counting it as answered', async () => {
    const controller = new AbortController();
    const before = await samples({ route: '/v1/hangs' });
    const sent = fetch(`${base}/v1/hangs`, { headers: { 'X-Request-Id': 'gave-up-1' }, signal: controller.signal }).catch(() => undefined);
    await settled();
    controller.abort();
    await sent;
    await settled();
    expect(lineFor('gave-up-1')).toMatchObject({ level: 'info', msg: 'request aborted', res: { statusCode: null } });
    expect(await samples({ route: '/v1/hangs' })).toBe(before);
  });

  it('makes no logger per request', () => {
    expect(childSpy).not.toHaveBeenCalled();
  });
});
