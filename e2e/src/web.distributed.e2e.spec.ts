import { registerAccount } from '@vidivo/testing';
import { startDistributed } from './platform-under-test';
import { WebClientSession, callIdOf } from './web/web-client-session';

/**
 * The web pages in distributed mode (decision 30): served by the gateway, with signaling on a host
 * of its own as in production — the console listens for calls there (GET /v1/web/config names
 * it) and the pages' Content Security Policy lets them connect to it.
 */
describe('the web client served by the gateway (distributed)', () => {
  const session = new WebClientSession(() => startDistributed({ signalingReplicas: 1, webClient: true }));

  beforeAll(() => session.start(), 120_000);
  afterAll(() => session.stop());
  afterEach(() => session.closePages());

  it('a host online in the console takes a guest from the link: it rings, Accept, video both ways', async () => {
    const host = await registerAccount(session.api, 'host');
    const hostPage = await session.signIn(host);
    await hostPage.locator('#host-online', { hasText: 'You are online' }).waitFor();
    const link = await session.api.post('/v1/calls/links', { rate_per_minute: '1.00', window_size_minutes: 5 }, { token: host.token });
    expect(link.body.url).toBe(`${session.web}/c/${link.body.short_code}`);

    const guestPage = await session.newPage('distributed-guest');
    await guestPage.goto(link.body.url);
    await guestPage.getByText('is online now').waitFor();
    await guestPage.getByLabel('Your name').fill('Dee');
    await guestPage.getByRole('button', { name: 'Join the call' }).click();
    await guestPage.waitForURL(/\/call\/[0-9A-Z]{26}$/);
    const callId = callIdOf(guestPage);

    await hostPage.locator('#incoming-calls li', { hasText: 'Dee' }).getByRole('button', { name: 'Accept' }).click();
    await hostPage.waitForURL(`${session.web}/call/${callId}`);
    await Promise.all([session.remoteVideoPlays(guestPage), session.remoteVideoPlays(hostPage)]);
    await hostPage.getByRole('button', { name: 'End call' }).click();
    for (const page of [guestPage, hostPage]) await page.locator('#summary-total').waitFor();
    expect(session.pageErrors).toEqual([]);
  }, 120_000);
});
