import { ConfigError, loadConfig, parseSettings } from '@vidivo/platform';
import { identitySettings } from './identity.settings';

describe('identitySettings', () => {
  it('fills in the documented defaults', () => {
    expect(parseSettings(identitySettings, {})).toEqual({ ACCESS_TOKEN_TTL_SECONDS: 900, REFRESH_TOKEN_TTL_DAYS: 30, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });
    expect(parseSettings(identitySettings, { ACCESS_TOKEN_TTL_SECONDS: '60', REFRESH_TOKEN_TTL_DAYS: '7' })).toMatchObject({
      ACCESS_TOKEN_TTL_SECONDS: 60,
      REFRESH_TOKEN_TTL_DAYS: 7,
    });
  });

  it.each([
    ['ACCESS_TOKEN_TTL_SECONDS', '0'],
    ['ACCESS_TOKEN_TTL_SECONDS', '15m'],
    ['REFRESH_TOKEN_TTL_DAYS', '-1'],
  ])('refuses %s=%p, naming it', (name, value) => {
    expect(() => parseSettings(identitySettings, { [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  describe('the admin account (both or neither)', () => {
    it('accepts both together', () => {
      expect(parseSettings(identitySettings, { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'long enough' })).toMatchObject({
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'long enough',
      });
    });

    it.each([
      ['only the email', { ADMIN_EMAIL: 'admin@example.com' }],
      ['only the password', { ADMIN_PASSWORD: 'long enough' }],
      ['the email and a blank password', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: '' }],
    ])('refuses %s, naming both variables, before anything starts', (_, source) => {
      const message = 'Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together';
      expect(() => parseSettings(identitySettings, source)).toThrow(new ConfigError(message));
      expect(() => loadConfig(source, [identitySettings])).toThrow(new ConfigError(message));
    });

    it('checks the email itself', () => {
      expect(() => parseSettings(identitySettings, { ADMIN_EMAIL: 'admin', ADMIN_PASSWORD: 'long enough' })).toThrow(/^Invalid configuration: ADMIN_EMAIL /);
    });

    it('wants a password of at least 8 characters, and does not repeat it', () => {
      expect(parseSettings(identitySettings, { ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: '12345678' }).ADMIN_PASSWORD).toBe('12345678');
      const start = () => parseSettings(identitySettings, { ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: '1234567' });
      expect(start).toThrow(/^Invalid configuration: ADMIN_PASSWORD /);
      expect(start).not.toThrow('1234567');
    });
  });
});
