import { Frame, Locator, Page, chromium } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { StepFailed } from './steps';

/**
 * Completes a card authentication as the guest would: opens `next_action.redirect_to_url.url` in
 * headless Chromium, presses the button that completes it (Stripe's 3-D Secure test page has it in
 * an iframe, the emulator's page on the page itself) and waits for the browser to be sent to the
 * return_url. Answers that URL.
 */
export async function completeAuthentication(executablePath: string, url: string, returnUrl: string, timeoutMs = 60_000): Promise<string> {
  const browser = await chromium.launch({ executablePath, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const back = new URL(returnUrl);
    // The return_url need not serve a page: seeing the browser ask for it is enough.
    const seen: { returnedTo?: string } = {};
    page.on('request', (request) => {
      const requested = new URL(request.url());
      if (request.isNavigationRequest() && requested.origin === back.origin && requested.pathname === back.pathname) seen.returnedTo = request.url();
    });
    await page.goto(url, { timeout: timeoutMs });
    const button = await findButton(page, /complete/i, timeoutMs);
    await button.click({ timeout: timeoutMs }).catch((error) => {
      // A click whose navigation goes to a return_url that never loads is still a click.
      if (!/navigat|net::/i.test(String(error))) throw error;
    });
    const deadline = Date.now() + timeoutMs;
    while (seen.returnedTo === undefined) {
      if (Date.now() > deadline) throw new StepFailed(`the browser was not sent back to ${returnUrl} within ${timeoutMs / 1000} s (now at ${page.url()})`);
      await sleep(100);
    }
    return seen.returnedTo;
  } finally {
    await browser.close();
  }
}

/** The first button, in any frame, whose text matches; frames may load late, so they are searched until the time is up. */
async function findButton(page: Page, text: RegExp, timeoutMs: number): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const buttonIn = async (frame: Frame) => {
    const button = frame.getByRole('button', { name: text }).first();
    return (await button.count().catch(() => 0)) > 0 ? button : undefined;
  };
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const button = await buttonIn(frame);
      if (button) return button;
    }
    await sleep(250);
  }
  throw new StepFailed(`no button matching ${text} on ${page.url()} (in ${page.frames().length} frame(s))`);
}
