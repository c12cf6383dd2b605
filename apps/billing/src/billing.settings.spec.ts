import { ConfigError, parseSettings } from '@vidivo/platform';
import { billingSettings } from './billing.settings';

const STRIPE_SECRET_KEY = 'sk_test_123';

describe('billingSettings', () => {
  it('fills in the documented defaults', () => {
    expect(parseSettings(billingSettings, { STRIPE_SECRET_KEY })).toEqual({
      STRIPE_SECRET_KEY,
      STRIPE_API_BASE: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      STRIPE_TIMEOUT_MS: 20_000,
      HOLD_TOPUP_LEAD_SECONDS: 60,
    });
  });

  it('accepts a Stripe secret key and an API base for a Stripe-compatible server', () => {
    expect(parseSettings(billingSettings, { STRIPE_SECRET_KEY, STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toMatchObject({ STRIPE_API_BASE: 'http://127.0.0.1:12111' });
  });

  it('stops the start naming STRIPE_SECRET_KEY when it is unset or blank', () => {
    for (const source of [{}, { STRIPE_SECRET_KEY: '' }]) {
      expect(() => parseSettings(billingSettings, source)).toThrow(new ConfigError('Invalid configuration: STRIPE_SECRET_KEY is required'));
    }
  });

  it.each([
    ['STRIPE_SECRET_KEY', 'pk_test_123'],
    ['STRIPE_SECRET_KEY', 'rk_live_51Hsecretvalue'],
    ['STRIPE_API_BASE', 'localhost:12111'],
    ['STRIPE_WEBHOOK_SECRET', 'secret'],
    ['STRIPE_TIMEOUT_MS', '0'],
    ['HOLD_TOPUP_LEAD_SECONDS', '-1'],
  ])('refuses %s=%p, naming it without repeating it', (name, value) => {
    const start = () => parseSettings(billingSettings, { STRIPE_SECRET_KEY, [name]: value });
    expect(start).toThrow(new RegExp(`^Invalid configuration: ${name} `));
    expect(start).not.toThrow(value);
  });
});
