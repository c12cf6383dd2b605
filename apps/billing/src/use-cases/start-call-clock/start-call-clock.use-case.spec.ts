import { BillingFakes, LEAD_SECONDS } from '../../testing';
import { StartCallClockUseCase } from './start-call-clock.use-case';

describe('StartCallClockUseCase (decision 11: the windows count from the start of the call)', () => {
  let fakes: BillingFakes;
  let startCallClock: StartCallClockUseCase;

  beforeEach(() => {
    fakes = new BillingFakes();
    startCallClock = new StartCallClockUseCase(fakes.inject.accounts, fakes.settings);
  });

  it('makes the call active, its next window due a lead time before the first runs out', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 5 });
    const startedAt = '2026-11-29T10:00:00Z';
    await startCallClock.execute({ callId, startedAt });
    expect(fakes.accounts.row(callId)).toMatchObject({
      status: 'active',
      started_at: new Date(startedAt),
      next_hold_at: new Date(Date.parse(startedAt) + (5 * 60 - LEAD_SECONDS) * 1000),
    });
  });

  it('starts a call once: a repeated event does not move its clock', async () => {
    const callId = await fakes.heldCall({ windows: 1, windowMinutes: 5 });
    await startCallClock.execute({ callId, startedAt: '2026-11-29T10:00:00Z' });
    await startCallClock.execute({ callId, startedAt: '2026-11-29T10:03:00Z' });
    expect(fakes.accounts.row(callId)!.started_at).toEqual(new Date('2026-11-29T10:00:00Z'));
  });
});
