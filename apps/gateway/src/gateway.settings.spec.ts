import { parseSettings } from '@vidivo/platform';
import { gatewaySettings } from './gateway.settings';

describe('gatewaySettings', () => {
  it('limits 60 requests a minute by default, and 0 turns it off', () => {
    expect(parseSettings(gatewaySettings, {}).RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(parseSettings(gatewaySettings, { RATE_LIMIT_PER_MINUTE: '120' }).RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(parseSettings(gatewaySettings, { RATE_LIMIT_PER_MINUTE: '0' }).RATE_LIMIT_PER_MINUTE).toBe(0);
  });

  it.each(['-1', '1.5'])('refuses RATE_LIMIT_PER_MINUTE=%p, naming it', (value) => {
    expect(() => parseSettings(gatewaySettings, { RATE_LIMIT_PER_MINUTE: value })).toThrow(/^Invalid configuration: RATE_LIMIT_PER_MINUTE /);
  });
});
