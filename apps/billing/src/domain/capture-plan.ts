import { Cents } from '@vidivo/money';

export interface HeldAmount {
  holdId: string;
  amountCents: Cents;
}

export type HoldAction = { holdId: string; action: 'capture'; amountCents: Cents } | { holdId: string; action: 'cancel' };

export interface CapturePlan {
  actions: HoldAction[];
  /** What the holds could not cover (should be zero: top-ups run ahead of the clock). */
  shortfallCents: Cents;
}

/**
 * How to take exactly `totalCents` from a call's holds (decision 11): oldest hold first, the last
 * one used partially, every hold not needed cancelled so the guest's money is released.
 */
export function capturePlan(holds: HeldAmount[], totalCents: Cents): CapturePlan {
  let remaining = totalCents;
  const actions = holds.map((hold): HoldAction => {
    if (remaining <= 0) return { holdId: hold.holdId, action: 'cancel' };
    const amountCents = Math.min(remaining, hold.amountCents);
    remaining -= amountCents;
    return { holdId: hold.holdId, action: 'capture', amountCents };
  });
  return { actions, shortfallCents: remaining };
}
