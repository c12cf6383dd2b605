import { ConfigError } from '@vidivo/platform';
import { parseSince } from './audit-money.command';

describe('--since', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('takes a span back from now, an ISO 8601 instant, or "all" for no bound', () => {
    expect(parseSince('90m', now)).toEqual(new Date('2026-03-10T10:30:00Z'));
    expect(parseSince('36h', now)).toEqual(new Date('2026-03-09T00:00:00Z'));
    expect(parseSince('7d', now)).toEqual(new Date('2026-03-03T12:00:00Z'));
    expect(parseSince('2026-03-01T08:00:00Z', now)).toEqual(new Date('2026-03-01T08:00:00Z'));
    expect(parseSince('all', now)).toBeUndefined();
  });

  it('refuses anything else, naming the option', () => {
    for (const text of ['yesterday', '7w', '-1d', '2026-13-45', '']) {
      expect(() => parseSince(text, now)).toThrow(ConfigError);
      expect(() => parseSince(text, now)).toThrow(/--since/);
    }
  });
});
