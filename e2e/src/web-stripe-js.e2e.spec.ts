import { HttpClient, registerAccount } from '@vidivo/testing';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PlatformUnderTest, newDataDir, startStandalone } from './platform-under-test';
import { launchPeerBrowser } from './webrtc/peer-browser';

const WAIT_MS = 30_000;

/**
 * The join page's card step with real Stripe configured (decision 30): with STRIPE_PUBLISHABLE_KEY
 * the page loads Stripe.js from js.stripe.com for the Payment Element instead of offering the test
 * cards. Stripe cannot be reached from the tests (the machine may have no internet, and the key
 * is made up), so js.stripe.com is cut off for the browser: the page must then say, in words, that
 * the card form could not be loaded, and not let the guest join.
 */
describe('the join page with STRIPE_PUBLISHABLE_KEY: Stripe.js (standalone)', () => {
  const publishableKey = `pk_test_${randomBytes(12).toString('hex')}`;
  const dataDirs = [newDataDir(), newDataDir()];
  let withKey: PlatformUnderTest | undefined;
  let withoutKey: PlatformUnderTest | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const started = await Promise.allSettled([
      startStandalone(dataDirs[0].path, (ownUrl) => ({ PUBLIC_WEB_URL: ownUrl, STRIPE_PUBLISHABLE_KEY: publishableKey })),
      startStandalone(dataDirs[1].path, (ownUrl) => ({ PUBLIC_WEB_URL: ownUrl })),
      launchPeerBrowser(),
    ]);
    if (started[0].status === 'fulfilled') withKey = started[0].value;
    if (started[1].status === 'fulfilled') withoutKey = started[1].value;
    if (started[2].status === 'fulfilled') browser = started[2].value;
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await browser?.close();
    await Promise.all([withKey?.stop(), withoutKey?.stop()]);
    for (const dataDir of dataDirs) dataDir.remove();
  });

  /** A host's link on that platform, and its join page at the platform's own web origin. */
  async function joinPageUrl(platform: PlatformUnderTest): Promise<string> {
    const api = new HttpClient(platform.baseUrl);
    const host = await registerAccount(api, 'host');
    const link = await api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    return `http://localhost:${new URL(platform.baseUrl).port}/c/${link.body.short_code}`;
  }

  /** A page that records what it asked of Stripe, its uncaught errors and its console errors. */
  async function newPage(): Promise<{ page: Page; stripeRequests: string[]; errors: string[] }> {
    const context = await browser!.newContext();
    contexts.push(context);
    const stripeRequests: string[] = [];
    // Only requests the page's Content Security Policy let through get here; none reaches Stripe.
    await context.route(/^https:\/\/([a-z0-9-]+\.)*stripe\.(com|network)\//, (route) => {
      stripeRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    // A blocked download is reported as "Failed to load resource"; anything else (a CSP refusal included) is a failure.
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(`console: ${message.text()}`));
    return { page, stripeRequests, errors };
  }

  it('asks js.stripe.com for Stripe.js instead of offering test cards, and says so in words when it cannot be loaded', async () => {
    const { page, stripeRequests, errors } = await newPage();
    const config = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/web/config');
    await page.goto(await joinPageUrl(withKey!));
    expect(await (await config).json()).toMatchObject({ stripe_publishable_key: publishableKey });

    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/^The card form could not be loaded\./);
    expect(text).not.toMatch(/Stripe\.js|Error|[{}]/);

    expect(stripeRequests.length).toBeGreaterThan(0);
    expect(stripeRequests.every((url) => url.startsWith('https://js.stripe.com/'))).toBe(true);
    expect(await page.locator('input[name=card]').count()).toBe(0);
    expect(await page.getByText('Stripe test cards').count()).toBe(0);
    // The guest can still type, but cannot join without a card.
    await page.getByLabel('Your name').fill('Sam');
    expect(await page.getByRole('button', { name: 'Join the call' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('offers the test cards and loads nothing from Stripe without the key', async () => {
    const { page, stripeRequests, errors } = await newPage();
    await page.goto(await joinPageUrl(withoutKey!));
    await page.locator('input[name=card][value=pm_card_visa]').waitFor();
    expect(stripeRequests).toEqual([]);
    expect(errors).toEqual([]);
  });
});
