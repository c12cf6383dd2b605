import { HttpClient } from '@vidivo/testing';
import { describeAuthContract } from './contract/auth.contract';
import { describeCallsContract } from './contract/calls.contract';
import { describeEdgeContract } from './contract/edge.contract';
import { describeLinksContract } from './contract/links.contract';
import { PlatformUnderTest, newDataDir, startStandalone } from './platform-under-test';

/** `npm start`'s process, black-box: built app, embedded Postgres under DATA_DIR, in-process transport. */
describe('standalone mode (one process, embedded Postgres)', () => {
  const dataDir = newDataDir();
  let platform: PlatformUnderTest;
  let api: HttpClient;

  beforeAll(async () => {
    platform = await startStandalone(dataDir.path);
    api = new HttpClient(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
    dataDir.remove();
  });

  it('says where it serves', () => {
    expect(platform.processes[0].output()).toContain(`listening on http://localhost:${new URL(platform.baseUrl).port}`);
  });

  describeEdgeContract(() => api);
  describeAuthContract(() => api);
  describeLinksContract(() => api);
  describeCallsContract(() => api);

  it('keeps its data across a restart on the same DATA_DIR', async () => {
    const email = `keep_${Date.now()}@example.com`;
    const registered = await api.post('/v1/auth/register', { email, password: 'long enough', username: `keep_${Date.now()}`, display_name: 'K', role: 'host' });
    expect(registered.status).toBe(201);
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: registered.body.access_token });

    await platform.stop();
    platform = await startStandalone(dataDir.path);
    api = new HttpClient(platform.baseUrl);

    const login = await api.post('/v1/auth/login', { email, password: 'long enough' });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(registered.body.user.id);
    expect((await api.get(`/v1/calls/links/${link.body.short_code}/info`)).status).toBe(200);
    // Tokens signed before the restart still verify: the signing key is kept in DATA_DIR too.
    expect((await api.get('/v1/users/me', { token: registered.body.access_token })).status).toBe(200);
  });
});
