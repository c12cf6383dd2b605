// The emulator's OpenAPI checks of Stripe requests and answers, and the API version billing pins:
// what the scenarios compare the recorded exchanges with (the platform itself runs as built processes).
// nx-ignore-next-line
import { checkRequest, checkResponse } from '@vidivo/app-stripe-emulator';
// nx-ignore-next-line
import { STRIPE_API_VERSION } from '@vidivo/app-billing';
import { HttpClient, HttpEmulatorControl, connectDatabase, describePaymentScenarios } from '@vidivo/testing';
import { Client } from 'pg';
import { DistributedPlatform, PUBLIC_WEB_URL, startDistributed } from './platform-under-test';

/**
 * The payment scenarios of libs/testing (the same ones integration/src/payments/payments.integration.spec.ts
 * runs in-process) on one process per app over the machine's NATS and Postgres: billing talks to
 * the Stripe emulator process, which sends its signed webhooks to the gateway; the scenarios steer
 * the emulator over its HTTP control API and move call clocks in the platform's database.
 */
describe('payments on the distributed platform (one process per app, NATS, the Stripe emulator as its own process)', () => {
  let platform: DistributedPlatform;
  let sql: Client;

  beforeAll(async () => {
    // No signaling peers here: calls must not end as abandoned when the scenarios move their clocks.
    platform = await startDistributed({ callAbandonSeconds: 0 });
    sql = await connectDatabase(platform.databaseUrl);
  });

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
  });

  describePaymentScenarios(() => ({
    api: new HttpClient(platform.baseUrl),
    sql,
    webhookSecret: platform.webhookSecret,
    emulator: new HttpEmulatorControl(platform.emulatorUrl),
    publicWebUrl: PUBLIC_WEB_URL,
    stripeApiVersion: STRIPE_API_VERSION,
    checkRequest,
    checkResponse,
  }));
});
