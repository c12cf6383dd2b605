import { parseSettings } from '@vidivo/platform';
import { gatewaySettings } from './gateway.settings';

describe('gatewaySettings', () => {
  it('limits 60 requests a minute by default, and 0 turns it off', () => {
    expect(parseSettings(gatewaySettings, {}).RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(parseSettings(gatewaySettings, { RATE_LIMIT_PER_MINUTE: '120' }).RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(parseSettings(gatewaySettings, { RATE_LIMIT_PER_MINUTE: '0' }).RATE_LIMIT_PER_MINUTE).toBe(0);
  });

  it('allows 5 declined payments an hour by default, and 0 turns the limit off', () => {
    expect(parseSettings(gatewaySettings, {}).DECLINED_PAYMENTS_PER_HOUR).toBe(5);
    expect(parseSettings(gatewaySettings, { DECLINED_PAYMENTS_PER_HOUR: '10' }).DECLINED_PAYMENTS_PER_HOUR).toBe(10);
    expect(parseSettings(gatewaySettings, { DECLINED_PAYMENTS_PER_HOUR: '0' }).DECLINED_PAYMENTS_PER_HOUR).toBe(0);
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['RATE_LIMIT_PER_MINUTE', '1.5'],
    ['DECLINED_PAYMENTS_PER_HOUR', '-1'],
    ['DECLINED_PAYMENTS_PER_HOUR', 'five'],
  ])('refuses %s=%p, naming it', (name, value) => {
    expect(() => parseSettings(gatewaySettings, { [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });
});
