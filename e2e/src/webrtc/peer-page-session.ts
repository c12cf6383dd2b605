import { HttpClient } from '@vidivo/testing';
import type { Browser } from 'playwright-core';
import { StandalonePlatform, newDataDir, startStandalone } from '../platform-under-test';
import { launchPeerBrowser } from './peer-browser';
import { PeerPageServer, servePeerPage } from './peer-page.server';

/** What the WebRTC suites run against: the standalone process, a peer page on its own origin, and Chromium. */
export interface PeerPageSession {
  platform: StandalonePlatform;
  pageServer: PeerPageServer;
  browser: Browser;
  api: HttpClient;
  stop(): Promise<void>;
}

/**
 * Starts the standalone process (its settings may depend on the page's origin, e.g. CORS), a
 * server of one peer page, and Chromium with a fake camera; on a failed start, stops what started.
 */
export async function startPeerPageSession(pagePath: string, env: Record<string, string> | ((pageOrigin: string) => Record<string, string>) = {}): Promise<PeerPageSession> {
  const dataDir = newDataDir();
  const pageServer = await servePeerPage(pagePath);
  const started = await Promise.allSettled([startStandalone(dataDir.path, typeof env === 'function' ? env(pageServer.origin) : env), launchPeerBrowser()]);
  const platform = started[0].status === 'fulfilled' ? started[0].value : undefined;
  const browser = started[1].status === 'fulfilled' ? started[1].value : undefined;
  const stop = async () => {
    await browser?.close();
    await pageServer.close();
    await platform?.stop();
    dataDir.remove();
  };
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed || !platform || !browser) {
    await stop();
    throw (failed?.reason as Error | undefined) ?? new Error('the peer page session did not start');
  }
  return { platform, pageServer, browser, api: new HttpClient(platform.baseUrl), stop };
}
