import { parseSettings } from '@vidivo/platform';
import { standaloneSettings } from './standalone.settings';

describe('standaloneSettings', () => {
  it('fills in the documented defaults', () => {
    expect(parseSettings(standaloneSettings, {})).toMatchObject({ DATA_DIR: './.data', EMBEDDED_POSTGRES_PORT: 54329, STRIPE_EMULATOR_PORT: 12111 });
    expect(parseSettings(standaloneSettings, { EMBEDDED_POSTGRES_PORT: '5433', STRIPE_EMULATOR_PORT: '12112' })).toMatchObject({
      EMBEDDED_POSTGRES_PORT: 5433,
      STRIPE_EMULATOR_PORT: 12112,
    });
  });

  it.each([
    ['STRIPE_EMULATOR_PORT', '70000'],
    ['EMBEDDED_POSTGRES_PORT', 'postgres'],
  ])('refuses %s=%p, naming it', (name, value) => {
    expect(() => parseSettings(standaloneSettings, { [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });
});
