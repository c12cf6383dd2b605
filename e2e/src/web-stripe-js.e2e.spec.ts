import { registerAccount } from '@vidivo/testing';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startStandalone } from './platform-under-test';
import { WebClientSession } from './web/web-client-session';

/**
 * The join page's card step with real Stripe configured (decision 30): with STRIPE_PUBLISHABLE_KEY
 * the page loads Stripe.js from js.stripe.com for the Payment Element instead of offering the test
 * cards. Stripe cannot be reached from the tests (the machine may have no internet, and the key
 * is made up), so js.stripe.com is cut off for the browser: the page must then say, in words, that
 * the card form could not be loaded, and not let the guest join.
 */
describe('the join page with STRIPE_PUBLISHABLE_KEY: Stripe.js (standalone)', () => {
  const publishableKey = `pk_test_${randomBytes(12).toString('hex')}`;
  const withKey = new WebClientSession((dataDir) => startStandalone(dataDir, (ownUrl) => ({ PUBLIC_WEB_URL: ownUrl, STRIPE_PUBLISHABLE_KEY: publishableKey })));
  const withoutKey = new WebClientSession();

  beforeAll(async () => {
    await withKey.start();
    await withoutKey.start();
  }, 180_000);

  afterAll(async () => {
    await withKey.stop();
    await withoutKey.stop();
  });

  afterEach(async () => {
    await withKey.closePages();
    await withoutKey.closePages();
  });

  /** A host's link on that session's platform, and its join page at the platform's own web origin. */
  async function joinPageUrl(session: WebClientSession): Promise<string> {
    const host = await registerAccount(session.api, 'host');
    const link = await session.api.post('/v1/calls/links', { rate_per_minute: '2.50', window_size_minutes: 10 }, { token: host.token });
    expect(link.status).toBe(201);
    return `${session.web}/c/${link.body.short_code}`;
  }

  /**
   * A page of the session (which records its uncaught errors, console errors and failed requests)
   * that also records what it asked of Stripe.
   */
  async function newPage(session: WebClientSession, name: string): Promise<{ page: Page; stripeRequests: string[] }> {
    const page = await session.newPage(name);
    const stripeRequests: string[] = [];
    // Only requests the page's Content Security Policy let through get here; none reaches Stripe.
    // A blocked download is reported as "Failed to load resource", which the session does not count.
    await page.context().route(/^https:\/\/([a-z0-9-]+\.)*stripe\.(com|network)\//, (route) => {
      stripeRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    return { page, stripeRequests };
  }

  it('asks js.stripe.com for Stripe.js instead of offering test cards, and says so in words when it cannot be loaded', async () => {
    const { page, stripeRequests } = await newPage(withKey, 'join-with-key');
    const config = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/web/config');
    await page.goto(await joinPageUrl(withKey));
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
    expect(withKey.pageErrors).toEqual([]);
  });

  it('offers the test cards and loads nothing from Stripe without the key', async () => {
    const { page, stripeRequests } = await newPage(withoutKey, 'join-without-key');
    await page.goto(await joinPageUrl(withoutKey));
    await page.locator('input[name=card][value=pm_card_visa]').waitFor();
    expect(stripeRequests).toEqual([]);
    expect(withoutKey.pageErrors).toEqual([]);
  });
});
