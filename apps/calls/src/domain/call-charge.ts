import { Cents, billedMinutes, minutesCost } from '@vidivo/money';

export interface CallCharge {
  durationSeconds: number;
  billedMinutes: number;
  totalChargedCents: Cents;
}

/**
 * What a call costs when it ends (decision 10): the timer runs from host-join to end, every
 * started minute is billed, and a call that never started costs nothing.
 */
export function chargeFor(startedAt: Date | null, endedAt: Date, rateCents: Cents): CallCharge {
  const durationSeconds = startedAt ? Math.max(0, Math.floor((endedAt.getTime() - startedAt.getTime()) / 1000)) : 0;
  const minutes = billedMinutes(durationSeconds);
  return { durationSeconds, billedMinutes: minutes, totalChargedCents: minutesCost(rateCents, minutes) };
}
