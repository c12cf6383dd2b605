import { HttpClient } from '@vidivo/testing';
import { describeAuthContract } from './contract/auth.contract';
import { describeEdgeContract } from './contract/edge.contract';
import { describeLinksContract } from './contract/links.contract';
import { PlatformUnderTest, startDistributed } from './platform-under-test';

/** gateway, identity and links as separate processes on the machine's NATS and Postgres. */
describe('distributed mode (one process per app, NATS, Postgres)', () => {
  let platform: PlatformUnderTest;
  let api: HttpClient;

  beforeAll(async () => {
    platform = await startDistributed();
    api = new HttpClient(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describeEdgeContract(() => api);
  describeAuthContract(() => api);
  describeLinksContract(() => api);

  it('has every app report its own Postgres schema and NATS as ready', async () => {
    const identity = await fetch(platform.healthUrls.identity).then((r) => r.json() as Promise<{ details: object }>);
    const links = await fetch(platform.healthUrls.links).then((r) => r.json() as Promise<{ details: object }>);
    const gateway = await fetch(platform.healthUrls.gateway).then((r) => r.json() as Promise<{ details: object }>);
    expect(Object.keys(identity.details).sort()).toEqual(['postgres:identity', 'transport']);
    expect(Object.keys(links.details).sort()).toEqual(['postgres:links', 'transport']);
    expect(Object.keys(gateway.details).sort()).toEqual(['postgres:gateway', 'transport']);
  });
});
