// A test-only composition: the money path is only whole with the apps around billing.
// nx-ignore-next-line
import { callsApp } from '@vidivo/app-calls';
// nx-ignore-next-line
import { gatewayApp } from '@vidivo/app-gateway';
// nx-ignore-next-line
import { identityApp } from '@vidivo/app-identity';
// nx-ignore-next-line
import { linksApp } from '@vidivo/app-links';
// nx-ignore-next-line
import { StripeEmulator, checkRequest, checkResponse } from '@vidivo/app-stripe-emulator';
import { ComposedPlatform, describePaymentScenarios, startComposedPlatform } from '@vidivo/testing';
import { billingApp } from './billing.app';
import { STRIPE_API_VERSION } from './stripe/payment-gateway';

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
