import { ConfigError, parseSettings } from '@vidivo/platform';
import { callsSettings, turnUrlsOf } from './calls.settings';

const TURN_SECRET = 'test-turn-secret-0123456789';

describe('callsSettings', () => {
  it('fills in the documented defaults', () => {
    const settings = parseSettings(callsSettings, { TURN_SECRET });
    expect(settings).toEqual({
      TURN_SECRET,
      TURN_URLS: 'turn:localhost:3478',
      CALL_NO_SHOW_SECONDS: 300,
      CALL_MAX_MINUTES: 240,
      CALL_ABANDON_SECONDS: 90,
      CALL_LINK_CLAIM_GRACE_SECONDS: 60,
    });
    expect(turnUrlsOf(parseSettings(callsSettings, { TURN_SECRET, TURN_URLS: 'turn:a:3478, turns:b:5349,' }))).toEqual(['turn:a:3478', 'turns:b:5349']);
  });

  it('stops the start naming TURN_SECRET when it is unset', () => {
    expect(() => parseSettings(callsSettings, {})).toThrow(new ConfigError('Invalid configuration: TURN_SECRET is required'));
  });

  it.each([
    ['TURN_SECRET', 'too-short'],
    ['CALL_NO_SHOW_SECONDS', '0'],
    ['CALL_NO_SHOW_SECONDS', 'five minutes'],
    ['CALL_MAX_MINUTES', String(7 * 24 * 60 + 1)],
    ['CALL_ABANDON_SECONDS', '-1'],
    ['CALL_LINK_CLAIM_GRACE_SECONDS', '0'],
  ])('refuses %s=%p, naming it without repeating it', (name, value) => {
    const start = () => parseSettings(callsSettings, { TURN_SECRET, [name]: value });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(new RegExp(`^Invalid configuration: ${name} `));
    if (name === 'TURN_SECRET') expect(start).not.toThrow(value);
  });

  it('lets CALL_ABANDON_SECONDS be 0 (off)', () => {
    expect(parseSettings(callsSettings, { TURN_SECRET, CALL_ABANDON_SECONDS: '0' }).CALL_ABANDON_SECONDS).toBe(0);
  });
});
