import { LinkUsage, isExpired, isUsable, isUsedUp } from './link.policy';

const NOW = new Date('2026-03-15T10:00:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/** A link nothing stands in the way of: active, never expires, unlimited uses. */
const open: LinkUsage = { isActive: true, expiresAt: null, maxUses: null, useCount: 0 };
const link = (changes: Partial<LinkUsage>): LinkUsage => ({ ...open, ...changes });

describe('isExpired', () => {
  it('never expires a link without an expiry (expires_at null = never)', () => {
    expect(isExpired(link({ expiresAt: null }), NOW)).toBe(false);
    expect(isExpired(link({ expiresAt: null }), new Date('9999-12-31T23:59:59Z'))).toBe(false);
  });

  it('counts a link as expired from the very instant of its expiry', () => {
    expect(isExpired(link({ expiresAt: at(0) }), NOW)).toBe(true);
  });

  it('keeps a link valid one millisecond before its expiry', () => {
    expect(isExpired(link({ expiresAt: at(1) }), NOW)).toBe(false);
  });

  it('counts a link expired one millisecond after its expiry', () => {
    expect(isExpired(link({ expiresAt: at(-1) }), NOW)).toBe(true);
  });

  it('compares instants, not the Date objects themselves', () => {
    const expiresAt = new Date(NOW.getTime());
    expect(expiresAt).not.toBe(NOW);
    expect(isExpired(link({ expiresAt }), new Date(NOW.getTime()))).toBe(true);
  });

  it('judges by the time it is given, not the clock', () => {
    const expiresAt = new Date('2001-01-01T00:00:00Z');
    expect(isExpired(link({ expiresAt }), new Date('2000-12-31T23:59:59Z'))).toBe(false);
    expect(isExpired(link({ expiresAt }), new Date('2001-01-01T00:00:01Z'))).toBe(true);
  });

  it('looks at nothing but the expiry', () => {
    expect(isExpired(link({ isActive: false, maxUses: 1, useCount: 1 }), NOW)).toBe(false);
  });
});

describe('isUsedUp', () => {
  it('never uses up a link with unlimited uses (max_uses null)', () => {
    expect(isUsedUp(link({ maxUses: null, useCount: 0 }))).toBe(false);
    expect(isUsedUp(link({ maxUses: null, useCount: 1_000_000 }))).toBe(false);
  });

  it('leaves a use while use_count < max_uses', () => {
    expect(isUsedUp(link({ maxUses: 1, useCount: 0 }))).toBe(false);
    expect(isUsedUp(link({ maxUses: 5, useCount: 4 }))).toBe(false);
  });

  it('is used up when use_count == max_uses', () => {
    expect(isUsedUp(link({ maxUses: 1, useCount: 1 }))).toBe(true);
    expect(isUsedUp(link({ maxUses: 5, useCount: 5 }))).toBe(true);
  });

  it('stays used up if the count ever passed the maximum', () => {
    expect(isUsedUp(link({ maxUses: 1, useCount: 2 }))).toBe(true);
  });

  it('looks at nothing but the uses', () => {
    expect(isUsedUp(link({ isActive: false, expiresAt: at(-1) }))).toBe(false);
  });
});

describe('isUsable (decision 9: active, not expired, use_count < max_uses or max_uses null)', () => {
  it('is usable when nothing stands in the way', () => {
    expect(isUsable(open, NOW)).toBe(true);
  });

  it('is usable with a future expiry and a use left', () => {
    expect(isUsable(link({ expiresAt: at(1), maxUses: 1, useCount: 0 }), NOW)).toBe(true);
  });

  it.each<[string, Partial<LinkUsage>]>([
    ['deactivated', { isActive: false }],
    ['expiring exactly now', { expiresAt: at(0) }],
    ['expired', { expiresAt: at(-60_000) }],
    ['used up (use_count == max_uses)', { maxUses: 3, useCount: 3 }],
    ['over-used', { maxUses: 3, useCount: 4 }],
  ])('is not usable when %s', (_, changes) => {
    expect(isUsable(link(changes), NOW)).toBe(false);
  });

  it('needs every condition: any one failing is enough to refuse', () => {
    for (const isActive of [true, false])
      for (const expiresAt of [null, at(1), at(0)])
        for (const [maxUses, useCount] of [
          [null, 7],
          [2, 1],
          [2, 2],
        ] as const) {
          const usage: LinkUsage = { isActive, expiresAt, maxUses, useCount };
          const expected = isActive && (expiresAt === null || expiresAt > NOW) && (maxUses === null || useCount < maxUses);
          expect({ usage, usable: isUsable(usage, NOW) }).toEqual({ usage, usable: expected });
        }
  });
});
