import express, { RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { securityHeaders } from './configure-http';
import { precomputedHeaders, recordHeaderChanges } from './precomputed-headers';

/** The headers of a GET / answered by an Express app with only `middleware` in front. */
async function headersBehind(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get('/', (_request, response) => void response.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return Object.fromEntries([...answer.headers].filter(([name]) => name !== 'date'));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('precomputedHeaders', () => {
  it.each([
    ['the emulator (no Stripe.js)', {}],
    ['real Stripe and a signaling host of its own', { STRIPE_PUBLISHABLE_KEY: 'pk_test_123', SIGNALING_PUBLIC_URL: 'wss://signal.vidivo.test/signal/ws' }],
  ])("sends exactly helmet's headers with our policy, %s", async (_, env) => {
    const config = loadConfig(env);
    const precomputed = await headersBehind(precomputedHeaders(securityHeaders(config)));
    expect(precomputed).toEqual(await headersBehind(securityHeaders(config)));
    expect(precomputed['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(precomputed['x-frame-options']).toBe('DENY');
  });

  it('refuses a middleware whose headers depend on the request', () => {
    const perRequest: RequestHandler = (request, response, next) => {
      response.setHeader('X-Path', request.path);
      next();
    };
    expect(() => recordHeaderChanges(perRequest)).toThrow(/must not depend on the request/);
  });

  it('refuses a middleware that does not go on at once', () => {
    expect(() => recordHeaderChanges((_request, _response, next) => void setImmediate(next))).toThrow(/call next at once/);
  });
});
