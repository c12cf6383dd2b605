import { existsSync } from 'node:fs';
import { testEnvironment } from '@vidivo/testing';
import { Browser, chromium } from 'playwright-core';

const CHROMIUM_PATH = testEnvironment.chromiumPath;

/** Headless Chromium with a fake camera and microphone that need no permission prompt. */
export async function launchPeerBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: the WebRTC test needs it (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}
