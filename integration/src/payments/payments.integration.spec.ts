import { callsApp } from '@vidivo/app-calls';
import { gatewayApp } from '@vidivo/app-gateway';
import { identityApp } from '@vidivo/app-identity';
import { linksApp } from '@vidivo/app-links';
import { StripeEmulator, checkRequest, checkResponse } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, describePaymentScenarios, startComposedPlatform } from '@vidivo/testing';
import { STRIPE_API_VERSION, billingApp } from '@vidivo/app-billing';

jest.setTimeout(40_000);

const PUBLIC_WEB_URL = 'http://localhost:3000';

/**
 * The payment scenarios of libs/testing on the standalone composition: gateway, identity, links,
 * calls and billing in this process over the in-process transport, a real Postgres database, the
 * Stripe emulator in this process sending its webhooks to the gateway. The same scenarios run on
 * one process per app in e2e/src/payments.distributed.e2e.spec.ts.
 */
describe('payments on the in-process composition (real Postgres, Stripe emulator)', () => {
  let platform: ComposedPlatform<StripeEmulator>;

  beforeAll(async () => {
    platform = await startComposedPlatform({
      name: 'payments',
      apps: [gatewayApp, identityApp, linksApp, callsApp, billingApp],
      emulator: () => StripeEmulator.start(),
      env: {
        STRIPE_TIMEOUT_MS: '1000',
        PUBLIC_WEB_URL,
        // No signaling peers here: calls must not end as abandoned when the scenarios move their clocks.
        CALL_ABANDON_SECONDS: '0',
      },
    });
  });

  afterAll(() => platform?.close());

  describePaymentScenarios(() => ({
    api: platform.api,
    sql: platform.sql,
    webhookSecret: platform.webhookSecret,
    emulator: platform.emulator,
    publicWebUrl: PUBLIC_WEB_URL,
    stripeApiVersion: STRIPE_API_VERSION,
    checkRequest,
    checkResponse,
  }));
});
