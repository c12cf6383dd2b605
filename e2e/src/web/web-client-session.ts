import { HttpClient, HttpEmulatorControl, Account } from '@vidivo/testing';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PlatformUnderTest, newDataDir, startStandalone } from '../platform-under-test';
import { launchPeerBrowser } from '../webrtc/peer-browser';

export const SCREENSHOTS = resolve(__dirname, '../../../reports/screenshots');
export const WAIT_MS = 30_000;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface PageOptions {
  /** The browser's own time zone (the booking page shows times in the visitor's). */
  timezoneId?: string;
  /** Answers this page is refused on purpose (path prefix and status), not counted as errors. */
  expectedRefusals?: { path: string; status: number }[];
}

/** A platform serving the web pages at its own `http://localhost:<port>`, with its Stripe emulator. */
export type WebPlatform = PlatformUnderTest & { emulatorUrl: string };

/**
 * The web client (decision 30) in a real browser, served by the platform at its own PUBLIC_WEB_URL
 * (a standalone process unless another is given): the browser, one context per person, and what every page must satisfy —
 * no uncaught error, no unexpected failed request, no serious accessibility violation, usable
 * at 375 px — with a screenshot of each page at desktop and phone width.
 */
export class WebClientSession {
  platform!: WebPlatform;
  browser!: Browser;
  api!: HttpClient;
  /** The bundled Stripe emulator, to see what was held, captured and cancelled. */
  emulator!: HttpEmulatorControl;
  /** The pages' origin: localhost (a secure context, as signaling_url names it). */
  web!: string;
  /** Every page's uncaught error, console error and unexpected HTTP failure. */
  readonly pageErrors: string[] = [];
  /** Every page's console, for the message of a failure. */
  readonly pageLog: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  private readonly dataDir = newDataDir();

  constructor(private readonly launch: (dataDir: string) => Promise<WebPlatform> = (dataDir) => startStandalone(dataDir, (ownUrl) => ({ PUBLIC_WEB_URL: ownUrl }))) {}

  async start(): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const started = await Promise.allSettled([this.launch(this.dataDir.path), launchPeerBrowser()]);
    if (started[0].status === 'fulfilled') this.platform = started[0].value;
    if (started[1].status === 'fulfilled') this.browser = started[1].value;
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    this.api = new HttpClient(this.platform.baseUrl);
    this.emulator = new HttpEmulatorControl(this.platform.emulatorUrl);
    this.web = `http://localhost:${new URL(this.platform.baseUrl).port}`;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.platform?.stop();
    this.dataDir.remove();
  }

  /** Closes every page of the test that ends. */
  async closePages(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
  }

  async newPage(name: string, options: PageOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: DESKTOP, acceptDownloads: true, ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}) });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => this.pageErrors.push(`${name}: ${error.message}`));
    // HTTP failures are checked by URL below (the console only says "Failed to load resource").
    page.on('console', (message) => this.pageLog.push(`${name} ${message.type()}: ${message.text()}`));
    page.on(
      'console',
      (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && this.pageErrors.push(`${name} console: ${message.text()}`),
    );
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      const expected = options.expectedRefusals?.some((refusal) => refusal.status === response.status() && path.startsWith(refusal.path));
      if (response.status() >= 400 && !expected) this.pageErrors.push(`${name}: ${response.request().method()} ${path} answered ${response.status()}`);
    });
    return page;
  }

  /**
   * The page at desktop and phone width under reports/screenshots/, after checking it: a heading
   * (not blank), no error shown unless expected, nothing wider than a phone's screen, and no
   * serious or critical violation axe-core finds.
   */
  async screenshot(page: Page, name: string, options: { errorExpected?: boolean } = {}): Promise<void> {
    const heading = (await page.locator('h1').first().textContent({ timeout: 5_000 }))?.trim();
    expect(heading).toBeTruthy();
    if (!options.errorExpected) expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);
    expect({ name, violations: await seriousAccessibilityViolations(page) }).toEqual({ name, violations: [] });
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      if (size === 'phone') {
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

  /** Signs in on the login page; a host lands on the console (a host without availability yet is a 404 it reads as an empty form). */
  async signIn(account: Account, landing = '/host', expectedRefusals: PageOptions['expectedRefusals'] = []): Promise<Page> {
    const page = await this.newPage(account.username, { expectedRefusals: [{ path: '/v1/schedule/availability', status: 404 }, ...expectedRefusals] });
    await page.goto(`${this.web}/login`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${this.web}${landing}`);
    return page;
  }

  /** The remote <video> is playing decoded frames (not just an element with a stream). */
  async remoteVideoPlays(page: Page): Promise<void> {
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
        throw new Error(`${error.message}\n${JSON.stringify({ url: page.url(), state, log: this.pageLog }, null, 2)}`);
      });
  }
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids inline scripts.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] = await page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

export const callIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;
