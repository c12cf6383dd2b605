import { HttpClient } from '@vidivo/testing';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Account, registerAccount } from './contract/actors';
import { PlatformUnderTest, newDataDir, startStandalone } from './platform-under-test';
import { launchPeerBrowser } from './webrtc/peer-browser';

const SCREENSHOTS = resolve(__dirname, '../../reports/screenshots');
const WAIT_MS = 30_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/**
 * The web client (issue 11) in a real browser, served by the standalone process itself at its
 * own PUBLIC_WEB_URL: a host signs in and creates a link in the console, a guest opens it, pays
 * with a Stripe test card and joins, the console rings and the host accepts, both pages show
 * the other's video playing, the guest ends and both summaries match the API. Also a declined
 * card and a card that needs authentication on the emulator's page.
 */
describe('the web client in a real browser (standalone)', () => {
  const dataDir = newDataDir();
  let platform: PlatformUnderTest | undefined;
  let browser: Browser | undefined;
  let api: HttpClient;
  /** The pages' origin: the standalone's own PUBLIC_WEB_URL (localhost, as signaling_url names it). */
  let web: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Every page's console, for the message of a failure. */
  const pageLog: string[] = [];
  /** Pages whose join is refused with 402 on purpose (a declined card, a card that needs authentication). */
  const expectedPaymentRefusals = new Set(['declined', 'authentication']);

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const started = await Promise.allSettled([startStandalone(dataDir.path, (ownUrl) => ({ PUBLIC_WEB_URL: ownUrl })), launchPeerBrowser()]);
    if (started[0].status === 'fulfilled') platform = started[0].value;
    if (started[1].status === 'fulfilled') browser = started[1].value;
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    api = new HttpClient(platform!.baseUrl);
    web = `http://localhost:${new URL(platform!.baseUrl).port}`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    dataDir.remove();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function newPage(name: string): Promise<Page> {
    const context = await browser!.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
    // HTTP failures are checked by URL below (the console only says "Failed to load resource").
    page.on('console', (message) => pageLog.push(`${name} ${message.type()}: ${message.text()}`));
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && pageErrors.push(`${name} console: ${message.text()}`));
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      const expected = response.status() === 402 && expectedPaymentRefusals.has(name) && path.startsWith('/v1/calls/join/');
      if (response.status() >= 400 && !expected) pageErrors.push(`${name}: ${response.request().method()} ${path} answered ${response.status()}`);
    });
    return page;
  }

  /** The page at desktop and phone width, under reports/screenshots/; fails on a blank page or an unexpected error. */
  async function screenshot(page: Page, name: string, options: { errorExpected?: boolean } = {}): Promise<void> {
    const heading = (await page.locator('h1').first().textContent({ timeout: 5_000 }))?.trim();
    expect(heading).toBeTruthy();
    if (!options.errorExpected) expect(await page.locator('[role=alert]').count()).toBe(0);
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      if (size === 'phone') {
        // Usable at 375 px: nothing wider than the screen.
        const overflow = await page.evaluate(() => {
          const root = (globalThis as any).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        expect({ name, overflow }).toEqual({ name, overflow: 0 });
      }
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`), fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
  }

  async function signInHost(host: Account): Promise<Page> {
    const page = await newPage('host');
    await page.goto(`${web}/login`);
    await page.getByLabel('Email').fill(host.email);
    await page.getByLabel('Password').fill(host.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web}/host`);
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
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    return link.body;
  }

  async function openJoinPage(url: string, name: string): Promise<Page> {
    const page = await newPage(name);
    await page.goto(url);
    await page.getByLabel('Your name').waitFor();
    return page;
  }

  async function fillGuest(page: Page, name: string, card: string): Promise<void> {
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Email (for the receipt)').fill(`${name.toLowerCase()}@example.com`);
    await page.locator(`input[name=card][value=${card}]`).check();
  }

  /** The remote <video> is playing decoded frames (not just an element with a stream). */
  async function remoteVideoPlays(page: Page): Promise<void> {
    await page
      .waitForFunction(
      () => {
        const video = (globalThis as any).document.querySelector('#remote-video');
        if (!video || video.paused || video.videoWidth === 0) return false;
        return video.getVideoPlaybackQuality().totalVideoFrames > 5 && video.currentTime > 0.2;
      },
      undefined,
      { timeout: WAIT_MS, polling: 250 },
      )
      .catch(async (error) => {
        const state = await page.evaluate(() => {
          const document = (globalThis as any).document;
          const status = document.querySelector('.call-status');
          const video = document.querySelector('#remote-video');
          return {
            status: status?.textContent,
            peer: status?.getAttribute('data-peer'),
            socket: status?.getAttribute('data-socket'),
            media: status?.getAttribute('data-media'),
            video: video && { paused: video.paused, width: video.videoWidth, time: video.currentTime, hasStream: !!video.srcObject },
          };
        });
        throw new Error(`${error.message}\n${JSON.stringify({ url: page.url(), state, log: pageLog }, null, 2)}`);
      });
  }

  const callIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

  it('host console, guest join with pm_card_visa, video both ways, the guest ends, both summaries match the API', async () => {
    const host = await registerAccount(api, 'host');
    {
      const hostPage = await signInHost(host);
      const url = await createLinkInConsole(hostPage);
      expect(url).toMatch(new RegExp(`^${web}/c/[a-z0-9]{6}$`));
      await screenshot(hostPage, 'host-console');

      const guestPage = await openJoinPage(url, 'guest');
      await guestPage.getByText('is online now').waitFor();
      await fillGuest(guestPage, 'Grace', 'pm_card_visa');
      await screenshot(guestPage, 'join');
      await guestPage.getByRole('button', { name: 'Join the call' }).click();
      await guestPage.waitForURL(/\/call\/[0-9A-Z]{26}$/);
      const callId = callIdOf(guestPage);
      await guestPage.locator('.call-status', { hasText: 'Waiting for' }).waitFor();
      await screenshot(guestPage, 'call-waiting');

      // The console rings; the host accepts and lands on the call page.
      const incoming = hostPage.locator('#incoming-calls li', { hasText: 'Grace' });
      await incoming.waitFor();
      expect(await hostPage.title()).toMatch(/Incoming call|Host console/);
      await incoming.getByRole('button', { name: 'Accept' }).click();
      await hostPage.waitForURL(`${web}/call/${callId}`);

      await Promise.all([remoteVideoPlays(guestPage), remoteVideoPlays(hostPage)]);
      for (const page of [guestPage, hostPage]) await page.locator('.call-status', { hasText: 'Connected with' }).waitFor();
      await guestPage.locator('#call-timer', { hasText: /^00:0\d$/ }).waitFor();
      expect(await guestPage.locator('#call-cost').textContent()).toBe('$2.50');
      await screenshot(guestPage, 'call-guest');
      await screenshot(hostPage, 'call-host');

      // The guest reloads mid-call: the host sees it reconnecting, then the call goes on (decision 29).
      await hostPage.evaluate(() => {
        const status = (globalThis as any).document.querySelector('.call-status');
        const seen: string[] = ((globalThis as any).peerStatesSeen = []);
        new (globalThis as any).MutationObserver(() => seen.push(status.getAttribute('data-peer'))).observe(status, { attributes: true });
      });
      await guestPage.reload();
      await hostPage.waitForFunction(() => ((globalThis as any).peerStatesSeen as string[]).includes('reconnecting'), undefined, { timeout: WAIT_MS });
      await hostPage.locator('.call-status[data-peer=present]').waitFor();
      await Promise.all([remoteVideoPlays(guestPage), remoteVideoPlays(hostPage)]);
      await guestPage.locator('#call-timer', { hasText: /^00:\d\d$/ }).waitFor();

      await guestPage.getByRole('button', { name: 'End call' }).click();
      for (const page of [guestPage, hostPage]) await page.locator('#summary-total').waitFor();
      const call = await api.get(`/v1/calls/${callId}`, { token: host.token });
      expect(call.status).toBe(200);
      expect(call.body).toMatchObject({ status: 'completed', end_reason: 'user_ended', billed_minutes: 1, total_charged: '2.50' });
      for (const page of [guestPage, hostPage]) {
        expect(await page.locator('#summary-minutes').textContent()).toBe(String(call.body.billed_minutes));
        expect(await page.locator('#summary-total').textContent()).toBe(`$${call.body.total_charged}`);
      }
      await screenshot(guestPage, 'summary-guest');
      await screenshot(hostPage, 'summary-host');
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a declined card shows a readable error and makes no call', async () => {
    const host = await registerAccount(api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(link.url.replace(/^https?:\/\/[^/]+/, web), 'declined');
    await fillGuest(page, 'Dora', 'pm_card_chargeDeclined');
    await page.getByRole('button', { name: 'Join the call' }).click();
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/declined\. Try another card/);
    expect(text).not.toMatch(/[{}]/);
    expect(new URL(page.url()).pathname).toBe(`/c/${link.short_code}`);
    // The refused hold failed the call at once (nobody was told) and gave the link's use back.
    const history = await api.get('/v1/calls/history', { token: host.token });
    expect(history.body.data.map((call: { status: string }) => call.status)).toEqual(['failed']);
    const links = await api.get('/v1/calls/links', { token: host.token });
    expect(links.body[0].use_count).toBe(0);
    await screenshot(page, 'join-declined', { errorExpected: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('a card that needs authentication goes through the emulator page and back, then joins', async () => {
    const host = await registerAccount(api, 'host');
    const link = await createLinkOverApi(host);
    const page = await openJoinPage(`${web}/c/${link.short_code}`, 'authentication');
    await fillGuest(page, 'Ada', 'pm_card_threeDSecure2Required');
    await page.getByRole('button', { name: 'Join the call' }).click();
    await page.waitForURL(/\/_emulator\/authenticate\/pi_/);
    await page.screenshot({ path: join(SCREENSHOTS, 'emulator-authentication-desktop.png') });
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/\/call\/[0-9A-Z]{26}$/);
    const callId = callIdOf(page);
    await page.locator('.call-status', { hasText: 'Waiting for' }).waitFor();
    const call = await api.get(`/v1/calls/${callId}`, { token: host.token });
    expect(call.body).toMatchObject({ status: expect.stringMatching(/^(waiting|ringing)$/), guest: { display_name: 'Ada' } });
    await page.getByRole('button', { name: 'End call' }).click();
    await page.locator('#summary-total', { hasText: '$0.00' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('serves the sign-in and register pages, and the API beside them', async () => {
    const page = await newPage('auth');
    await page.goto(`${web}/register`);
    await screenshot(page, 'register');
    await page.goto(`${web}/login`);
    await screenshot(page, 'login');
    const info = await fetch(`${web}/v1/calls/links/zzzzzz/info`);
    expect(info.status).toBe(404);
    expect(((await info.json()) as any).error.code).toBe('not_found');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
