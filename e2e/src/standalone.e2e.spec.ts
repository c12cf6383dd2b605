import { HttpClient, registerAccount } from '@vidivo/testing';
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
    const host = await registerAccount(api, 'host', 'keep');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: host.token });

    await platform.stop();
    platform = await startStandalone(dataDir.path);
    api = new HttpClient(platform.baseUrl);

    const login = await api.post('/v1/auth/login', { email: host.email, password: host.password });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(host.id);
    expect((await api.get(`/v1/calls/links/${link.body.short_code}/info`)).status).toBe(200);
    // Tokens signed before the restart still verify: the signing key is kept in DATA_DIR too.
    expect((await api.get('/v1/users/me', { token: host.token })).status).toBe(200);
  });
});
