import { eventually, Account, registerAccount } from '@vidivo/testing';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, WebClientSession, callIdOf } from './web/web-client-session';
import { join } from 'node:path';

/**
 * The web client (decision 30) in a real browser, served by the standalone process itself at its
 * own PUBLIC_WEB_URL: a host signs in and creates a link in the console, a guest opens it, pays
 * with a Stripe test card and joins, the console rings and the host accepts, both pages show
 * the other's video playing, the guest ends and both summaries match the API. Also a declined
 * card, a card that needs authentication on the emulator's page (completed and failed), and a
 * host who declines.
 */
describe('the web client in a real browser (standalone)', () => {
  const session = new WebClientSession();
  /** Joins refused with 402 on purpose (a declined card, a card that needs authentication). */
  const paymentRefused = [{ path: '/v1/calls/join/', status: 402 }];

  beforeAll(() => session.start(), 90_000);
  afterAll(() => session.stop());
  afterEach(() => session.closePages());

  async function signInHost(host: Account): Promise<Page> {
    const page = await session.signIn(host);
    await page.locator('#host-online', { hasText: 'You are online' }).waitFor();
    return page;
  }

  async function createLinkInConsole(page: Page): Promise<string> {
    await page.getByLabel('Rate per minute (USD)').fill('2.50');
    await page.getByLabel('Billing window (minutes)').fill('10');
    await page.getByRole('button', { name: 'Create link' }).click();
    const anchor = page.locator('#links li a').first();
    await anchor.waitFor();
    return (await anchor.getAttribute('href'))!;
  }

  async function createLinkOverApi(host: Account): Promise<{ url: string; short_code: string }> {
    const link = await session.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    return link.body;
  }

  async function openJoinPage(url: string, name: string): Promise<Page> {
    const page = await session.newPage(name, { expectedRefusals: paymentRefused });
    await page.goto(url);
    await page.getByLabel('Your name').waitFor();
    return page;
  }

  async function fillGuest(page: Page, name: string, card: string): Promise<void> {
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Email (for the receipt)').fill(`${name.toLowerCase()}@example.com`);
    await page.locator(`input[name=card][value=${card}]`).check();
  }

  it('host console, guest join with pm_card_visa, video both ways, the guest ends, both summaries match the API', async () => {
    const host = await registerAccount(session.api, 'host');
    {
      const hostPage = await signInHost(host);
      const url = await createLinkInConsole(hostPage);
      expect(url).toMatch(new RegExp(`^${session.web}/c/[a-z0-9]{6}$`));
      await session.screenshot(hostPage, 'host-console');

      const guestPage = await openJoinPage(url, 'guest');
      await guestPage.getByText('is online now').waitFor();
      await fillGuest(guestPage, 'Grace', 'pm_card_visa');
      await session.screenshot(guestPage, 'join');
      await guestPage.getByRole('button', { name: 'Join the call' }).click();
      await guestPage.waitForURL(/\/call\/[0-9A-Z]{26}$/);
      const callId = callIdOf(guestPage);
      await guestPage.locator('.call-status', { hasText: 'Waiting for' }).waitFor();
      await session.screenshot(guestPage, 'call-waiting');

      // The console rings; the host accepts and lands on the call page.
      const incoming = hostPage.locator('#incoming-calls li', { hasText: 'Grace' });
      await incoming.waitFor();
      expect(await hostPage.title()).toMatch(/Incoming call|Host console/);
      await incoming.getByRole('button', { name: 'Accept' }).click();
      await hostPage.waitForURL(`${session.web}/call/${callId}`);

      await Promise.all([session.remoteVideoPlays(guestPage), session.remoteVideoPlays(hostPage)]);
      for (const page of [guestPage, hostPage]) await page.locator('.call-status', { hasText: 'Connected with' }).waitFor();
      await guestPage.locator('#call-timer', { hasText: /^00:0\d$/ }).waitFor();
      expect(await guestPage.locator('#call-cost').textContent()).toBe('$2.50');
      await session.screenshot(guestPage, 'call-guest');
      await session.screenshot(hostPage, 'call-host');

      // The guest reloads mid-call: the host sees it reconnecting, then the call goes on (decision 29).
      await hostPage.evaluate(() => {
        const status = (globalThis as any).document.querySelector('.call-status');
        const seen: string[] = ((globalThis as any).peerStatesSeen = []);
        new (globalThis as any).MutationObserver(() => seen.push(status.getAttribute('data-peer'))).observe(status, { attributes: true });
      });
      await guestPage.reload();
      await hostPage.waitForFunction(() => ((globalThis as any).peerStatesSeen as string[]).includes('reconnecting'), undefined, { timeout: 30_000 });
      await hostPage.locator('.call-status[data-peer=present]').waitFor();
      await Promise.all([session.remoteVideoPlays(guestPage), session.remoteVideoPlays(hostPage)]);
      await guestPage.locator('#call-timer', { hasText: /^00:\d\d$/ }).waitFor();

      await guestPage.getByRole('button', { name: 'End call' }).click();
      for (const page of [guestPage, hostPage]) await page.locator('#summary-total').waitFor();
      const call = await session.api.get(`/v1/calls/${callId}`, { token: host.token });
      expect(call.status).toBe(200);
      expect(call.body).toMatchObject({ status: 'completed', end_reason: 'user_ended', billed_minutes: 1, total_charged: '2.50' });
      for (const page of [guestPage, hostPage]) {
        expect(await page.locator('#summary-minutes').textContent()).toBe(String(call.body.billed_minutes));
        expect(await page.locator('#summary-total').textContent()).toBe(`$${call.body.total_charged}`);
      }
      await session.screenshot(guestPage, 'summary-guest');
      await session.screenshot(hostPage, 'summary-host');
    }
    expect(session.pageErrors).toEqual([]);
  }, 120_000);

  it('a declined card shows a readable error and makes no call', async () => {
    const host = await registerAccount(session.api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(link.url.replace(/^https?:\/\/[^/]+/, session.web), 'declined');
    await fillGuest(page, 'Dora', 'pm_card_chargeDeclined');
    await page.getByRole('button', { name: 'Join the call' }).click();
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/declined\. Try another card/);
    expect(text).not.toMatch(/[{}]/);
    expect(new URL(page.url()).pathname).toBe(`/c/${link.short_code}`);
    // The refused hold failed the call at once (nobody was told) and gave the link's use back.
    const history = await session.api.get('/v1/calls/history', { token: host.token });
    expect(history.body.data.map((call: { status: string }) => call.status)).toEqual(['failed']);
    const links = await session.api.get('/v1/calls/links', { token: host.token });
    expect(links.body[0].use_count).toBe(0);
    await session.screenshot(page, 'join-declined', { errorExpected: true });
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('a card that needs authentication goes through the emulator page and back, then joins', async () => {
    const host = await registerAccount(session.api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(`${session.web}/c/${link.short_code}`, 'authentication');
    await fillGuest(page, 'Ada', 'pm_card_threeDSecure2Required');
    await page.getByRole('button', { name: 'Join the call' }).click();
    await page.waitForURL(/\/_emulator\/authenticate\/pi_/);
    await page.screenshot({ path: join(SCREENSHOTS, 'emulator-authentication-desktop.png') });
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/\/call\/[0-9A-Z]{26}$/);
    const callId = callIdOf(page);
    await page.locator('.call-status', { hasText: 'Waiting for' }).waitFor();
    const call = await session.api.get(`/v1/calls/${callId}`, { token: host.token });
    expect(call.body).toMatchObject({ status: expect.stringMatching(/^(waiting|ringing)$/), guest: { display_name: 'Ada' } });
    await page.getByRole('button', { name: 'End call' }).click();
    await page.locator('#summary-total', { hasText: '$0.00' }).waitFor();
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('a failed authentication on the bank page brings the guest back to a readable error, with no call', async () => {
    const host = await registerAccount(session.api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(`${session.web}/c/${link.short_code}`, 'authentication-failed');
    await fillGuest(page, 'Fay', 'pm_card_threeDSecure2Required');
    await page.getByRole('button', { name: 'Join the call' }).click();
    await page.waitForURL(/\/_emulator\/authenticate\/pi_/);
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.waitForURL(`${session.web}/c/${link.short_code}`);
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Your bank did not confirm the payment. Try again, or use another card.');
    // What the guest typed is still there for the next try.
    expect(await page.getByLabel('Your name').inputValue()).toBe('Fay');
    const history = await session.api.get('/v1/calls/history', { token: host.token });
    expect(history.body.data).toEqual([]);
    const links = await session.api.get('/v1/calls/links', { token: host.token });
    expect(links.body[0].use_count).toBe(0);
    await session.screenshot(page, 'join-authentication-failed', { errorExpected: true });
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('the host declines a ringing call: the guest is told, the call ends host_declined and nothing is charged', async () => {
    const host = await registerAccount(session.api, 'host');
    const hostPage = await signInHost(host);
    const link = await createLinkOverApi(host);
    const guestPage = await openJoinPage(`${session.web}/c/${link.short_code}`, 'declined-by-host');
    await fillGuest(guestPage, 'Gus', 'pm_card_visa');
    await guestPage.getByRole('button', { name: 'Join the call' }).click();
    await guestPage.waitForURL(/\/call\/[0-9A-Z]{26}$/);
    const callId = callIdOf(guestPage);

    const incoming = hostPage.locator('#incoming-calls li', { hasText: 'Gus' });
    await incoming.getByRole('button', { name: 'Decline' }).click();
    await incoming.waitFor({ state: 'detached' });

    await guestPage.locator('#summary-total', { hasText: '$0.00' }).waitFor();
    expect(await guestPage.locator('#summary-outcome').textContent()).toMatch(/declined/);
    const call = await session.api.get(`/v1/calls/${callId}`, { token: host.token });
    expect(call.body).toMatchObject({ status: 'completed', end_reason: 'host_declined', billed_minutes: 0, total_charged: '0.00' });
    const intents = await eventually(
      () => session.emulator.paymentIntents({ callId }),
      (found) => found.every((intent) => intent.status === 'canceled'),
    );
    expect(intents.map((intent) => [intent.status, intent.amount_received])).toEqual([['canceled', 0]]);
    await session.screenshot(guestPage, 'summary-declined');
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('a guest joins with the keyboard alone, in the order the page reads', async () => {
    const host = await registerAccount(session.api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(`${session.web}/c/${link.short_code}`, 'keyboard');
    const focused = () =>
      page.evaluate(() => {
        const element = (globalThis as any).document.activeElement;
        return element.id || element.getAttribute('value') || element.textContent.trim();
      });
    const steps: string[] = [];
    const tab = async (key = 'Tab') => {
      await page.keyboard.press(key);
      steps.push(await focused());
    };
    await tab();
    await tab();
    await page.keyboard.type('Kay');
    await tab();
    await page.keyboard.type('kay@example.com');
    await tab();
    await tab('ArrowDown');
    await tab();
    expect(steps).toEqual(['Vidivo', 'guest-name', 'guest-email', 'pm_card_visa', 'pm_card_mastercard', 'Join the call']);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/call\/[0-9A-Z]{26}$/);
    const call = await session.api.get(`/v1/calls/${callIdOf(page)}`, { token: host.token });
    expect(call.body.guest.display_name).toBe('Kay');
    await page.getByRole('button', { name: 'End call' }).click();
    await page.locator('#summary-total', { hasText: '$0.00' }).waitFor();
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('serves the sign-in and register pages, and the API beside them', async () => {
    const page = await session.newPage('auth');
    await page.goto(`${session.web}/`);
    await page.getByRole('link', { name: 'Create a host account' }).waitFor();
    await session.screenshot(page, 'home');
    await page.goto(`${session.web}/register`);
    await session.screenshot(page, 'register');
    await page.goto(`${session.web}/login`);
    await session.screenshot(page, 'login');
    const info = await fetch(`${session.web}/v1/calls/links/zzzzzz/info`);
    expect(info.status).toBe(404);
    expect(((await info.json()) as any).error.code).toBe('not_found');
    expect(session.pageErrors).toEqual([]);
  }, 60_000);
});
