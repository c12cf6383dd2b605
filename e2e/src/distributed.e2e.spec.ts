import { HttpClient } from '@vidivo/testing';
import { describeAuthContract } from './contract/auth.contract';
import { describeCallsContract } from './contract/calls.contract';
import { describeEdgeContract } from './contract/edge.contract';
import { describeLinksContract } from './contract/links.contract';
import { PlatformUnderTest, startDistributed } from './platform-under-test';

/** gateway, identity, links, calls and billing (with a Stripe emulator) as separate processes on the machine's NATS and Postgres. */
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
  describeCallsContract(() => api);

  it('has every app report its own Postgres schema and NATS as ready', async () => {
    const details = async (app: string) => Object.keys((await fetch(platform.healthUrls[app]).then((r) => r.json() as Promise<{ details: object }>)).details).sort();
    expect(await details('identity')).toEqual(['postgres:identity', 'transport']);
    expect(await details('links')).toEqual(['postgres:links', 'transport']);
    expect(await details('calls')).toEqual(['postgres:calls', 'transport']);
    expect(await details('billing')).toEqual(['postgres:billing', 'transport']);
    expect(await details('gateway')).toEqual(['postgres:gateway', 'transport']);
  });
});
