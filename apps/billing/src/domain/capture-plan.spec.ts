import { capturePlan } from './capture-plan';

const holds = (...amounts: number[]) => amounts.map((amountCents, index) => ({ holdId: `h${index + 1}`, amountCents }));

describe('capturePlan', () => {
  it('captures from the oldest hold first and the last one partially', () => {
    expect(capturePlan(holds(2500, 2500, 2500), 3000)).toEqual({
      actions: [
        { holdId: 'h1', action: 'capture', amountCents: 2500 },
        { holdId: 'h2', action: 'capture', amountCents: 500 },
        { holdId: 'h3', action: 'cancel' },
      ],
      shortfallCents: 0,
    });
  });

  it('cancels every hold when nothing is owed', () => {
    expect(capturePlan(holds(1000, 1000), 0)).toEqual({
      actions: [
        { holdId: 'h1', action: 'cancel' },
        { holdId: 'h2', action: 'cancel' },
      ],
      shortfallCents: 0,
    });
  });

  it('captures holds in full when the total matches them exactly', () => {
    expect(capturePlan(holds(1000, 1000), 2000).actions).toEqual([
      { holdId: 'h1', action: 'capture', amountCents: 1000 },
      { holdId: 'h2', action: 'capture', amountCents: 1000 },
    ]);
  });

  it('reports what the holds cannot cover instead of capturing more than was authorized', () => {
    expect(capturePlan(holds(1000), 1500)).toEqual({ actions: [{ holdId: 'h1', action: 'capture', amountCents: 1000 }], shortfallCents: 500 });
  });

  it('captures exactly the total across any holds (sum check)', () => {
    for (let total = 0; total <= 3100; total += 37) {
      const plan = capturePlan(holds(1000, 1000, 1000), total);
      const captured = plan.actions.reduce((sum, action) => sum + (action.action === 'capture' ? action.amountCents : 0), 0);
      expect(captured + plan.shortfallCents).toBe(total);
      expect(plan.actions.every((action) => action.action === 'cancel' || action.amountCents > 0)).toBe(true);
    }
  });
});
