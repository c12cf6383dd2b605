import { AppError, PeriodicJobs, parseSettings } from '@vidivo/platform';
import { ulid } from 'ulid';
import { callsSettings } from '../calls.settings';
import { CallsFakes, callsFakes, standIn } from '../testing';
import { LinkClaimsSweeper } from './link-claims.sweeper';

const GRACE_SECONDS = 60;

describe('LinkClaimsSweeper (decision 32)', () => {
  let fakes: CallsFakes;
  let sweeper: LinkClaimsSweeper;
  let linksAnswers: boolean;

  beforeEach(() => {
    fakes = callsFakes();
    linksAnswers = true;
    fakes.bus.answer('links.release', () => {
      if (!linksAnswers) throw AppError.serviceUnavailable('No answer from links.release; try again shortly');
      return { released: true };
    });
    const settings = parseSettings(callsSettings, { TURN_SECRET: 'test-turn-secret-0123456789', CALL_LINK_CLAIM_GRACE_SECONDS: String(GRACE_SECONDS) });
    sweeper = new LinkClaimsSweeper(standIn(fakes.pendingClaims), fakes.linkUses, standIn<PeriodicJobs>({ every: jest.fn(), beforeApplicationShutdown: jest.fn() }), settings);
  });

  /** A claim pending since `secondsAgo`. */
  const pendingSince = (secondsAgo: number): string => {
    const callId = ulid();
    fakes.pendingClaims.rows.set(callId, { openedAt: Date.now() - secondsAgo * 1000, swept: false });
    return callId;
  };

  it('gives back the use of a claim pending past the grace, and only that one', async () => {
    const crashed = pendingSince(GRACE_SECONDS + 1);
    const running = pendingSince(GRACE_SECONDS - 5);

    expect(await sweeper.sweep()).toBe(1);

    expect(fakes.bus.sent('links.release')).toEqual([{ call_id: crashed }]);
    expect([...fakes.pendingClaims.rows.keys()]).toEqual([running]);
  });

  it('keeps a claim it took over until links has the use back, and tries again on the next sweep', async () => {
    const crashed = pendingSince(GRACE_SECONDS + 1);
    linksAnswers = false;
    expect(await sweeper.sweep()).toBe(1);
    expect(fakes.pendingClaims.rows.get(crashed)).toEqual({ openedAt: expect.any(Number), swept: true });

    linksAnswers = true;
    expect(await sweeper.sweep()).toBe(1);
    expect(fakes.bus.sent('links.release')).toEqual([{ call_id: crashed }, { call_id: crashed }]);
    expect(fakes.pendingClaims.rows.size).toBe(0);
  });
});
