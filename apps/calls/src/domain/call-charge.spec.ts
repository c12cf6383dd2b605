import { chargeFor } from './call-charge';

const start = new Date('2026-03-15T14:00:00Z');
const after = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe('chargeFor', () => {
  it('bills every started minute at the rate (7 min 30 s at 2.50 is 8 minutes, 20.00)', () => {
    expect(chargeFor(start, after(450), 250)).toEqual({ durationSeconds: 450, billedMinutes: 8, totalChargedCents: 2000 });
  });

  it('bills exact minutes without rounding up', () => {
    expect(chargeFor(start, after(120), 99)).toEqual({ durationSeconds: 120, billedMinutes: 2, totalChargedCents: 198 });
  });

  it('bills one minute for the first second', () => {
    expect(chargeFor(start, after(1), 50)).toEqual({ durationSeconds: 1, billedMinutes: 1, totalChargedCents: 50 });
  });

  it('drops the milliseconds of a partial second', () => {
    expect(chargeFor(start, new Date(start.getTime() + 60_999), 100)).toEqual({ durationSeconds: 60, billedMinutes: 1, totalChargedCents: 100 });
  });

  it('charges nothing for a call that never started, however long it waited', () => {
    expect(chargeFor(null, after(3600), 99_999)).toEqual({ durationSeconds: 0, billedMinutes: 0, totalChargedCents: 0 });
  });

  it('charges nothing when the end is recorded before the start (clock skew between replicas)', () => {
    expect(chargeFor(start, after(-5), 250)).toEqual({ durationSeconds: 0, billedMinutes: 0, totalChargedCents: 0 });
  });
});
